"""Community: do the same people come back, does the creator answer, what do comments say."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.metrics.language import has_language, written_in
from microscout.metrics.window import KEY

# Words of template praise in several languages; a comment made only of these (and emoji,
# punctuation) is generic.
PRAISE_WORDS = (
    "nice", "great", "love", "lovely", "loving", "this", "it", "amazing", "awesome", "beautiful", "wow", "super",
    "cool", "so", "stunning", "gorgeous", "perfect", "pic", "picture", "photo", "post", "content", "shot", "feed",
    "keep", "up", "the", "good", "work", "as", "always", "yes", "omg", "obsessed", "inspiring", "fire", "best",
    "very", "really", "wonderful", "fantastic", "excellent", "cute", "pretty", "top", "bravo", "congrats",
    "toll", "schön", "schon", "mega", "geil", "klasse", "wunderschön", "piękne", "piekne", "super", "świetne",
    "swietne", "cudowne", "flot", "smukt", "fedt", "mooi", "prachtig", "gaaf", "leuk", "magnifique", "trop",
    "beau", "belle", "génial", "genial", "sublime", "top", "bello", "bellissimo", "hermoso", "lindo", "linda",
    "check", "my", "profile", "follow", "back", "dm", "me",
)
GENERIC_PATTERN = r"(?i)^[^\p{L}\p{N}]*((" + "|".join(sorted(set(PRAISE_WORDS), key=len, reverse=True)) + r")[^\p{L}\p{N}]*)*$"


def community(comments: ir.Table, used: ir.Table, accounts: ir.Table) -> ir.Table:
    """Over the top-level comments in the sample on the posts used, per creator:

    - repeat_commenter_share: share of those comments written by authors who commented on at
      least 3 of those posts;
    - reply_rate: share of them answered by the creator (a reply whose author is the post's account);
    - generic_comment_share: share that are emoji-only or template praise;
    - conversation_share: share of them that others replied to (a conversation among the audience);
    - comments_in_creator_language: among those written in a recognisable language, the share in
      the creator's own (account) language;
    - distinct_commenters_per_post, median_reply_minutes, median_comment_length (characters),
      comments_sampled.
    """
    posts = used.select(*KEY, "post_id")
    c = comments.join(posts, ["platform", "post_id"])
    c = c.join(accounts.select(*KEY, creator_language="language"), KEY)
    top = c.filter(c.reply_to.isnull() & (c.author_id != c.account_id))
    replies = c.filter(c.reply_to.notnull() & (c.author_id == c.account_id)).select(
        "platform", parent=c.reply_to, reply_at=c.created_at)
    answered = replies.group_by(["platform", "parent"]).agg(reply_at=replies.reply_at.min())
    t = top.left_join(answered, [top.platform == answered.platform, top.comment_id == answered.parent]).select(
        top, "reply_at")
    # a conversation: a top-level comment that got a reply from someone other than the creator
    others = c.filter(c.reply_to.notnull() & (c.author_id != c.account_id)).select("platform", parent2=c.reply_to)
    talked = others.distinct()
    t = t.left_join(talked, [t.platform == talked.platform, t.comment_id == talked.parent2]).select(t, "parent2")
    per_author = t.group_by([*KEY, "author_id"]).agg(_posts=t.post_id.nunique())
    t = t.join(per_author, [*KEY, "author_id"])
    t = t.mutate(
        _repeat=(t._posts >= 3).cast("int64"),
        _answered=t.reply_at.notnull().cast("int64"),
        _generic=ibis.ifelse(t.text.isnull(), ibis.null("int64"), t.text.lower().re_search(GENERIC_PATTERN).cast("int64")),
        _conversation=t.parent2.notnull().cast("int64"),
        _in_language=ibis.ifelse(t.text.notnull() & has_language(t.text.fill_null("")),
                                 written_in(t.text.fill_null(""), t.creator_language).cast("int64"),
                                 ibis.null("int64")),
        _length=t.text.length(),
        _reply_minutes=ibis.ifelse(t.reply_at.notnull() & t.created_at.notnull(),
                                   (t.reply_at.epoch_seconds() - t.created_at.epoch_seconds()).cast("float64") / 60.0,
                                   ibis.null("float64")),
    )
    out = t.group_by(KEY).agg(
        comments_sampled=t.count(),
        repeat_commenter_share=t._repeat.mean(),
        reply_rate=t._answered.mean(),
        generic_comment_share=t._generic.mean(),
        median_reply_minutes=t._reply_minutes.median(),
        conversation_share=t._conversation.mean(),
        comments_in_creator_language=t._in_language.mean(),
        median_comment_length=t._length.median(),
        _commenters=t.author_id.nunique(),
        _posts=t.post_id.nunique(),
    )
    return out.mutate(distinct_commenters_per_post=out._commenters.cast("float64") / out._posts.cast("float64")).drop(
        "_commenters", "_posts")
