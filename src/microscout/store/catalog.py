"""Every table a workspace may hold, declared once: what kind it is, its key, where it names a person.

Migrations, `forget`, `purge`, `info`, analyze and the PySpark store all read this list, so a new
table is declared here or it does not exist: a test fails on any table found in a workspace that
is not in the catalog.

Kinds:
- bundle: rows imported from bundles (shared SCHEMA.md), the user's data;
- derived: computed by analyze from the bundle tables, rebuilt on every analyze;
- app: what the user keeps in the workspace (relationships, shortlists);
- system: bookkeeping (imports, forgotten accounts, the schema version).

How a table names a person, for `forget`:
- `accounts`: (platform column, id column) pairs that hold an account id; rows naming the
  forgotten account there are deleted;
- `handles`: columns holding a handle; rows with the forgotten handle are deleted;
- `handle_lists`: list columns of handles (mentions, brands, pod members); the handle is taken out;
- `text`: free text (captions, bios, notes, warnings); the handle (and a distinctive id or
  contact) is replaced by "[forgotten]";
- `post_column`: a post id; rows about the forgotten account's posts are deleted.
`profile` tables describe one account's profile (deleted by `purge` for old audience-only accounts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["bundle", "derived", "app", "system"]
ACCOUNT = (("platform", "account_id"),)


@dataclass(frozen=True)
class TableEntry:
    name: str
    kind: Kind
    key: tuple[str, ...]
    producer: str
    accounts: tuple[tuple[str, str], ...] = ()
    handles: tuple[str, ...] = ()
    handle_lists: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    text_lists: tuple[str, ...] = ()
    post_column: str | None = None
    profile: bool = False
    has_platform: bool = True


def _derived(name: str, key: tuple[str, ...] = ("platform", "account_id"), **kw: object) -> TableEntry:
    kw.setdefault("accounts", ACCOUNT)
    return TableEntry(name, "derived", key, "analyze", **kw)  # type: ignore[arg-type]


CATALOG: tuple[TableEntry, ...] = (
    # -- bundle: the order is the import order (accounts first: the rest refer to them)
    TableEntry("accounts", "bundle", ("platform", "account_id"), "import", accounts=ACCOUNT,
               text=("display_name", "bio", "extra"), profile=True),
    TableEntry("snapshots", "bundle", ("platform", "account_id", "at"), "import", accounts=ACCOUNT,
               text=("extra",), profile=True),
    TableEntry("posts", "bundle", ("platform", "post_id"), "import", accounts=ACCOUNT,
               handle_lists=("mentions",), text=("caption", "extra")),
    TableEntry("comments", "bundle", ("platform", "comment_id"), "import",
               accounts=(("platform", "author_id"),), handles=("author_handle",), text=("text", "extra"),
               post_column="post_id"),
    TableEntry("follows", "bundle", ("platform", "follower_id", "followee_id"), "import",
               accounts=(("platform", "follower_id"), ("platform", "followee_id")), text=("extra",)),
    TableEntry("audience", "bundle", ("platform", "account_id", "dimension", "value"), "import",
               accounts=ACCOUNT, text=("extra",)),
    # -- system
    TableEntry("imports", "system", ("import_id",), "import", text=("source",), text_lists=("warnings",),
               has_platform=False),
    # forgotten accounts are kept as a hash of platform:account_id, so that a later import skips
    # them without the workspace keeping the id itself
    TableEntry("forgotten", "system", ("platform", "account_hash"), "forget"),
    TableEntry("schema_migrations", "system", ("version",), "migrations", has_platform=False),
    # -- app
    TableEntry("relationships", "app", ("brand", "platform", "account_id"), "campaign relate",
               accounts=ACCOUNT, text=("record",)),
    TableEntry("relationship_history", "app", ("brand", "platform", "account_id", "version"), "campaign relate",
               accounts=ACCOUNT, text=("changes",)),
    TableEntry("shortlists", "app", ("name", "platform", "account_id"), "shortlists", accounts=ACCOUNT),
    # -- derived
    _derived("creator_metrics_base", handle_lists=("brands",)),
    _derived("creator_metrics_next", handle_lists=("brands",)),
    _derived("creator_metrics", handle_lists=("brands", "pod_members")),
    _derived("creator_spikes", ("platform", "account_id", "at")),
    _derived("creator_spikes_next", ("platform", "account_id", "at")),
    _derived("analysis_touched"),
    _derived("account_fakes", profile=True),
    _derived("comment_farms"),
    _derived("pod_ties", ("platform", "a", "b"), accounts=(("platform", "a"), ("platform", "b"))),
    _derived("creator_pods", handle_lists=("pod_members",)),
    _derived("discovery_recent", ("platform", "post_id"), text=("caption",)),
    _derived("discovery_terms", ("platform", "account_id", "term"), handles=("term",)),
    _derived("discovery_hashtags", ("platform", "account_id", "hashtag")),
    _derived("discovery_tokens", ("platform", "account_id", "token"), handles=("token",)),
    _derived("discovery_documents"),
    _derived("discovery_creators"),
    _derived("discovery_follower_profiles", ("platform", "account_id", "dimension", "value")),
    _derived("creator_influence"),
    _derived("account_links", ("platform", "account_id", "other_platform", "other_account_id"),
             accounts=(("platform", "account_id"), ("other_platform", "other_account_id"))),
    _derived("audience_quality"),
    _derived("tier_benchmarks", ("platform", "tier"), accounts=()),
    _derived("discovery_base", handle_lists=("brands",)),
    _derived("topic_documents", ("platform", "account_id", "doc_hash")),  # the run's documents
    _derived("creator_vectors"),  # a cache of embeddings: read only where its doc_hash is the run's
    # the words of the documents, each with its embedding (a cache); a handle found as a word goes
    _derived("topic_words", ("word",), accounts=(), handles=("word",), has_platform=False),
    _derived("topic_space", ("part",), accounts=(), has_platform=False),  # the corpus mean and directions
    _derived("analysis_state", (), accounts=(), has_platform=False),
)

BY_NAME = {entry.name: entry for entry in CATALOG}


def tables_of(*kinds: Kind) -> tuple[str, ...]:
    return tuple(e.name for e in CATALOG if e.kind in kinds)


BUNDLE_TABLES = tables_of("bundle")
# derived tables an incremental analyze works in before it writes its results: what they hold
# after a run depends on the path it took (full or incremental), never on the results
SCRATCH_TABLES = ("creator_metrics_next", "creator_spikes_next", "analysis_touched")
# what the PySpark store keeps in its versioned warehouse; the rest are saved tables beside it
VERSIONED_TABLES = tables_of("bundle", "system")


def entry(name: str) -> TableEntry:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"table '{name}' is not in the workspace catalog (store/catalog.py)") from None
