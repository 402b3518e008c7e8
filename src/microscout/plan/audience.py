"""Who a set of creators reaches, once each: audience units estimated from the follower samples.

A creator c has F_c followers and a sample S_c of them in `follows` (all of them when the list is
complete): its sampling fraction is f_c = |S_c| / F_c and each sampled follower stands for
w_c = 1 / f_c real ones. From the samples:

- shared followers of c and d, scaled to the full audiences: |S_c ∩ S_d| / (f_c f_d); Jaccard
  = shared / (F_c + F_d − shared); π_cd = the share of c's followers who also follow d
  = |S_c ∩ S_d| / (|S_c| f_d).
- a sampled follower u of c who is not in d's sample may still follow d (d's list is a sample):
  with probability π̃_cd = π_cd (1 − f_d) / (1 − π_cd f_d) (Bayes; 0 when d's list is complete).

The planner maximises coverage of **units**. Each sampled follower row (c, u) is a unit of weight
1 / Σ_{d ∈ D} f_d, where D is the set of candidates the person follows: those whose samples hold
u, plus those it is deemed to follow, drawn with probability π̃_cd by a seeded hash of (u, d), so
the result is reproducible. A person who follows the candidates D appears in Σ_{d ∈ D} f_d samples
on average, so it counts 1 in expectation, however many samples hold them (the balance heuristic
of multiple importance sampling: a person seen in a big creator's thin sample and in a small
creator's complete list counts about 1, not 1 / f of the big one). Rows with nothing deemed are
merged into one unit per person. With complete lists every person is one unit of weight 1 and
the reach is exact.

A unit is reached by candidate d with k posts when k ≥ κ(u, d), the first post that person sees:
κ is drawn from the geometric law of the reach rate r_d with another seeded hash, so that d's
k posts reach a share 1 − (1 − r_d)^k of its followers, and a person who follows several picked
creators counts once. A creator without any follower sample gets one unit per post, of weight
F_c × (share first reached by that post), overlapping no one (nothing says otherwise); so does
the part of a sampled audience the units leave unplaced beyond two standard errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from microscout.metrics.window import KEY

MEMBER_SALT = 0x5EED_0001
REACH_SALT = 0x5EED_0002
MIN_SHARED = 2   # shared sampled followers below which a pair tells nothing of its overlap
MAX_DEEMED = 30
MAX_SAMPLE = 20_000  # sampled followers per creator used at most
THIN_SALT = 0x5EED_0003  # candidates per creator whose unseen followers are drawn
MAX_BITMAP = 256 * 2**20  # bytes for de-duplicating memberships on a bitmap of every (person, candidate)


@dataclass(frozen=True)
class Audience:
    """Units to cover: `weight` (people), `conversions` (expected buyers if reached); entries
    (entry_unit, entry_candidate, entry_kappa): the unit is reached when that candidate has at
    least kappa posts. Per candidate: `sample_size`, `sampling` (fraction) and `followers`."""

    weight: np.ndarray
    conversions: np.ndarray
    entry_unit: np.ndarray
    entry_candidate: np.ndarray
    entry_kappa: np.ndarray
    sample_size: np.ndarray
    sampling: np.ndarray
    followers: np.ndarray
    shared: sp.csr_matrix          # |S_c ∩ S_d|, candidates × candidates (diagonal: |S_c|)

    @property
    def n_units(self) -> int:
        return len(self.weight)


_K_PERSON = np.uint64(0x9E3779B97F4A7C15)
_K_CANDIDATE = np.uint64(0xBF58476D1CE4E5B9)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, as a uniform number in [0, 1)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / float(1 << 53))


def _hash01(u: np.ndarray, d: np.ndarray, salt: int) -> np.ndarray:
    """A uniform number in [0, 1) per (person hash, candidate) pair."""
    with np.errstate(over="ignore"):
        return _mix(u.astype(np.uint64) * _K_PERSON + d.astype(np.uint64) * _K_CANDIDATE + np.uint64(salt))


def first_post_seen(h: np.ndarray, reach_rate: np.ndarray) -> np.ndarray:
    """κ: the first of a creator's posts a follower sees, from a uniform h: P(κ ≤ k) = 1 − (1 − r)^k."""
    r = np.clip(reach_rate, 1e-9, 1.0 - 1e-12)
    return np.asarray(np.floor(np.log1p(-h) / np.log1p(-r)).astype(np.int64) + 1)


def _people(platform: pd.Series, follower_id: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for the person (platform, follower id), in order of first appearance, and
    each person's "platform\x1fid" text; the texts are built for the people, not for every row."""
    ids, id_uniques = pd.factorize(follower_id.astype(str).to_numpy())
    plats, plat_uniques = pd.factorize(platform.astype(str).to_numpy())
    width = max(len(id_uniques), 1)
    person, combo = pd.factorize(plats.astype(np.int64) * width + ids)
    texts = (pd.Series(plat_uniques[combo // width], dtype=object) + "\x1f"
             + pd.Series(id_uniques[combo % width], dtype=object)).to_numpy(dtype=object)
    return person, texts


def candidate_index(candidates: pd.DataFrame) -> pd.Series:
    return pd.Series(np.arange(len(candidates)), index=pd.MultiIndex.from_frame(candidates[KEY]))


def build_audience(candidates: pd.DataFrame, follows: pd.DataFrame, max_sample: int = MAX_SAMPLE) -> Audience:
    """Units for `candidates` (platform, account_id, followers, reach_rate, max_posts, conversion_rate;
    row i is candidate i) from `follows` (platform, follower_id, followee_id) of any accounts.
    A sample above `max_sample` rows is thinned to about that many by an independent hash draw per
    (person, candidate), its sampling fraction lowered to match: the work stays bounded however
    large the lists, and the estimator sees one more independent sampling step."""
    n = len(candidates)
    index = candidate_index(candidates)
    f = follows  # the workspace's follows are unique per (platform, follower_id, followee_id)
    pos = index.reindex(pd.MultiIndex.from_arrays([f.platform, f.followee_id])).to_numpy()
    keep = ~np.isnan(pos)
    f, cand = f[keep], pos[keep].astype(np.int64)
    # a person is (platform, follower id); its draws hash the id itself, so they do not depend on row order
    person, uniques = _people(f.platform, f.follower_id)
    n_people = len(uniques)
    person_hash = pd.util.hash_array(uniques)
    size = np.bincount(cand, minlength=n).astype(np.int64)
    stated = candidates.followers.fillna(0).to_numpy(dtype=float)
    followers = np.maximum(stated, size)            # a stale count below the sample: the list is complete
    sampling = np.where(size > 0, size / np.maximum(followers, 1.0), 0.0)
    thin = np.where(size > max_sample, max_sample / np.maximum(size, 1), 1.0)
    if (thin < 1.0).any():
        kept = _hash01(person_hash[person], cand, THIN_SALT) < thin[cand]
        person, cand = person[kept], cand[kept]
        sampling = sampling * thin
        size = np.bincount(cand, minlength=n).astype(np.int64)
    member = sp.csr_matrix((np.ones(len(person), dtype=np.int64), (person, cand)), shape=(n_people, n))
    shared = (member.T @ member).tocsr()
    reach = candidates.reach_rate.to_numpy(dtype=float)
    max_posts = candidates.max_posts.to_numpy(dtype=np.int64)
    conv = candidates.conversion_rate.to_numpy(dtype=float)

    # deemed memberships: (person, candidate) pairs the samples cannot show but π̃ makes likely
    with np.errstate(over="ignore"):
        person_part = person_hash.astype(np.uint64) * _K_PERSON
        cand_part = np.arange(n, dtype=np.uint64) * _K_CANDIDATE + np.uint64(MEMBER_SALT)
    shared_counts = shared.data.astype(float)
    d_person, d_cand = [], []
    member_csc = member.tocsc()
    for c in np.flatnonzero(size):
        rows = member_csc.indices[member_csc.indptr[c]:member_csc.indptr[c + 1]]
        start, stop = shared.indptr[c], shared.indptr[c + 1]
        d, both = shared.indices[start:stop], shared_counts[start:stop]
        other = (d != c) & (sampling[d] < 1.0) & (both >= MIN_SHARED)
        d, both = d[other], both[other]
        if not len(d):
            continue
        # share of c's followers who follow d; never more than d's whole audience
        pi = np.minimum(np.minimum(1.0, both / (size[c] * sampling[d])), followers[d] / followers[c])
        tilde = pi * (1.0 - sampling[d]) / (1.0 - pi * sampling[d])
        if len(d) > MAX_DEEMED:  # the likeliest only: the rest add few people and cost rows × pairs
            top = np.sort(np.argpartition(-tilde, MAX_DEEMED)[:MAX_DEEMED])
            d, tilde = d[top], tilde[top]
        with np.errstate(over="ignore"):
            mixed = person_part[rows][:, None] + cand_part[d][None, :]
        r_i, d_i = np.nonzero(_mix(mixed) < tilde[None, :])
        d_person.append(rows[r_i])
        d_cand.append(d[d_i])
    pu, pc, seen = _memberships(member, d_person, d_cand)
    # Horvitz-Thompson: a person is in some sample with probability 1 − Π (1 − f_d) over what it follows
    miss = np.exp(np.bincount(pu, weights=np.log1p(-np.minimum(sampling[pc], 1.0 - 1e-12)), minlength=n_people))
    weight = 1.0 / np.maximum(1.0 - miss, 1e-12)
    weight[1.0 - miss < 1e-9] = 1.0              # only complete lists: exactly one person
    conversions = weight * (np.bincount(pu[seen], weights=conv[pc[seen]], minlength=n_people)
                            / np.maximum(np.bincount(pu[seen], minlength=n_people), 1))
    entry_unit, entry_cand = pu, pc
    kappa = first_post_seen(_hash01(person_hash[entry_unit], entry_cand, REACH_SALT), reach[entry_cand])
    # What the samples leave unplaced beyond their own noise (two standard errors of the HT sum)
    # overlaps no one, as does every follower of a creator without a sample: a sample that is not
    # uniform (the most active followers first) must not shrink a creator below what it reaches alone.
    w_e = weight[entry_unit]
    placed = np.bincount(entry_cand, weights=w_e, minlength=n)
    noise = 2.0 * np.sqrt(np.bincount(entry_cand, weights=w_e * (w_e - 1.0), minlength=n))
    rest = np.maximum(followers - placed - noise, 0.0)
    blind = np.flatnonzero(rest >= 1.0)
    if len(blind):
        ks = [np.arange(1, max_posts[c] + 1) for c in blind]
        c_rep = np.concatenate([np.full(len(k), c) for c, k in zip(blind, ks, strict=True)]).astype(np.int64)
        k_all = np.concatenate(ks).astype(np.int64)
        share = (1 - reach[c_rep]) ** (k_all - 1) - (1 - reach[c_rep]) ** k_all
        ids = len(weight) + np.arange(len(c_rep))
        weight = np.concatenate([weight, rest[c_rep] * share])
        conversions = np.concatenate([conversions, rest[c_rep] * share * conv[c_rep]])
        entry_unit = np.concatenate([entry_unit, ids])
        entry_cand = np.concatenate([entry_cand, c_rep])
        kappa = np.concatenate([kappa, k_all])
    reachable = kappa <= max_posts[entry_cand]
    return Audience(weight, conversions, entry_unit[reachable], entry_cand[reachable], kappa[reachable],
                    size, sampling, followers, shared)


def _memberships(member: sp.csr_matrix, d_person: list[np.ndarray], d_cand: list[np.ndarray]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (person, candidate) pair once, observed or deemed, ordered by person then candidate,
    and whether it was observed. A person followed by several candidates is drawn into another one
    from each of them (the same hash, so the same outcome): the deemed pairs repeat many times over
    (16M drawn for 2M kept on the medium world), so they are de-duplicated on a bitmap of all pairs
    when it fits in MAX_BITMAP bytes, else by summing a sparse matrix (slower, bounded memory)."""
    n_people, n = member.shape
    coo = member.tocoo()
    if n_people * n <= MAX_BITMAP:
        mark = np.zeros(n_people * n, dtype=np.uint8)
        for u, c in zip(d_person, d_cand, strict=True):
            mark[u.astype(np.int64) * n + c] = 2
        mark[coo.row.astype(np.int64) * n + coo.col] = 1  # observed wins over deemed
        keys = np.flatnonzero(mark)
        return keys // n, keys % n, mark[keys] == 1
    deemed_u = np.concatenate(d_person) if d_person else np.zeros(0, np.int64)
    deemed_c = np.concatenate(d_cand) if d_cand else np.zeros(0, np.int64)
    # observed pairs marked 1, deemed ones 2: summing duplicates keeps each (person, candidate) once,
    # and a pair is observed exactly when its sum is odd (a draw for a pair already seen changes nothing)
    both = sp.csr_matrix((np.r_[np.ones(len(coo.row)), np.full(len(deemed_u), 2.0)],
                          (np.r_[coo.row, deemed_u], np.r_[coo.col, deemed_c])), shape=(n_people, n))
    both.sum_duplicates()
    pu = np.repeat(np.arange(n_people, dtype=np.int64), np.diff(both.indptr))
    return pu, both.indices.astype(np.int64), both.data % 2 == 1


def overlap_matrix(audience: Audience, chosen: list[int]) -> dict[str, list[list[float]]]:
    """Shared followers of each pair of `chosen` candidates, scaled to the full audiences
    (|S_c ∩ S_d| / (f_c f_d), at most the smaller audience), and their Jaccard index."""
    idx = np.asarray(chosen, dtype=np.int64)
    if not len(idx):
        return {"shared_followers": [], "jaccard": []}
    counts = audience.shared[idx][:, idx].toarray().astype(float)
    f = audience.sampling[idx]
    scale = np.outer(np.where(f > 0, f, 1.0), np.where(f > 0, f, 1.0))
    shared = np.where(np.outer(f > 0, f > 0), counts / scale, 0.0)
    size = audience.followers[idx]
    shared = np.minimum(shared, np.minimum.outer(size, size))
    np.fill_diagonal(shared, size)
    union = np.add.outer(size, size) - shared
    jaccard = np.where(union > 0, shared / np.where(union > 0, union, 1.0), 0.0)
    return {"shared_followers": np.round(shared).astype(int).tolist(), "jaccard": np.round(jaccard, 4).tolist()}
