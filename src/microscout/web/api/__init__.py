"""The REST API's routes under /api/v1, one module per resource, each a router over an ApiContext
(web/api/common.py); web/app.py builds the context and includes them."""
