#!/usr/bin/env python3
"""Validate roles/catalog/catalog.json (the Trajectory role catalog).

Standalone, standard library only. Usage:

    python roles/catalog/check_catalog.py [catalog.json] [--article PATH]

Exits with status 0 when the catalog passes every rule, 1 otherwise.
The source-article overlap check (no 8-word sequence shared with the
article) runs when the article can be found; pass --article to point at it.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CATALOG = os.path.join(HERE, "catalog.json")
ARTICLE_CANDIDATES = [
    os.path.join(HERE, "..", "..", "seeds", "000_39a302d6c51bf9cf.txt"),
    os.path.join(HERE, "..", "..", "..", "shared", "seeds", "000_39a302d6c51bf9cf.txt"),
    "/work/shared/seeds/000_39a302d6c51bf9cf.txt",
]

GROUPS = [
    ("delivery", "Delivery and execution"),
    ("customer", "Customers and market"),
    ("strategy", "Strategy and vision"),
    ("influence", "Influence and relationships"),
    ("people", "Leading people"),
]
PRACTICES = [
    "strategic-thinking",
    "leading-initiatives",
    "executive-relationships",
    "mentoring",
    "empowerment-vs-command",
    "influence-over-authority",
    "vision-and-principles",
    "roadmaps-business-goals",
    "regular-check-ins",
]
HORIZONS = (30, 60, 90)
KEYS = {
    "top": {
        "format",
        "version",
        "tracks",
        "skill_groups",
        "skills",
        "titles",
        "questions",
        "actions",
    },
    "track": {"slug", "name", "kind", "order", "summary"},
    "group": {"slug", "name", "order", "intro"},
    "skill": {
        "slug",
        "name",
        "group",
        "order",
        "description",
        "strategic_loading",
        "leadership_loading",
    },
    "title": {
        "slug",
        "name",
        "short_name",
        "track",
        "level",
        "summary",
        "contrast",
        "expected_strategic",
        "expected_leadership",
        "responsibilities",
        "expectations",
    },
    "question": {"id", "text", "skill", "key", "order", "active"},
    "action": {"id", "skill", "track", "horizon", "practice", "title", "description"},
}
MAX_TEXT = 400
MAX_QUESTION = 140
MAX_ACTION_TITLE = 80
NGRAM = 8

errors = []
warnings = []


def err(msg):
    errors.append(msg)


def axis_position(expectations, skills, loading_key):
    """The app's relative axis formula: weighted mean of the positive pole
    minus weighted mean of the negative pole, in [-100, 100]."""
    pos_w = pos_sum = neg_w = neg_sum = 0.0
    for s in skills:
        a = s[loading_key]
        e = expectations.get(s["slug"])
        if e is None:
            continue
        if a > 0:
            pos_w += a
            pos_sum += a * e
        elif a < 0:
            neg_w += -a
            neg_sum += -a * e
    pos = pos_sum / pos_w if pos_w else 0.0
    neg = neg_sum / neg_w if neg_w else 0.0
    return pos - neg


def iter_texts(cat):
    """Yield (where, text) for every human-readable string in the catalog."""
    for t in cat.get("tracks", []):
        for k in ("name", "summary"):
            yield f"track {t.get('slug')}.{k}", t.get(k)
    for g in cat.get("skill_groups", []):
        for k in ("name", "intro"):
            yield f"group {g.get('slug')}.{k}", g.get(k)
    for s in cat.get("skills", []):
        for k in ("name", "description"):
            yield f"skill {s.get('slug')}.{k}", s.get(k)
    for t in cat.get("titles", []):
        for k in ("name", "short_name", "summary", "contrast"):
            yield f"title {t.get('slug')}.{k}", t.get(k)
        for i, r in enumerate(t.get("responsibilities", []) or []):
            yield f"title {t.get('slug')}.responsibilities[{i}]", r
    for q in cat.get("questions", []):
        yield f"question {q.get('id')}.text", q.get("text")
    for a in cat.get("actions", []):
        for k in ("title", "description"):
            yield f"action {a.get('id')}.{k}", a.get(k)


def words(text):
    text = text.lower().replace("\u2019", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def ngrams(ws, n=NGRAM):
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def check_keys(obj, kind, label):
    if not isinstance(obj, dict):
        err(f"{label}: expected an object")
        return False
    have = set(obj)
    want = KEYS[kind]
    if have != want:
        missing, extra = sorted(want - have), sorted(have - want)
        err(f"{label}: keys differ (missing {missing}, unexpected {extra})")
        return False
    return True


def check_unique(items, key, label):
    seen = set()
    for it in items:
        v = it.get(key)
        if v in seen:
            err(f"duplicate {label} {key}: {v!r}")
        seen.add(v)


def main(argv):
    catalog_path = DEFAULT_CATALOG
    article_path = None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--article":
            article_path = args.pop(0)
        else:
            catalog_path = a

    with open(catalog_path, encoding="utf-8") as fh:
        cat = json.load(fh)

    if not check_keys(cat, "top", "catalog"):
        pass
    if cat.get("format") != "trajectory-catalog":
        err("format must be 'trajectory-catalog'")
    if cat.get("version") != 1:
        err("version must be 1")

    tracks = cat.get("tracks", [])
    groups = cat.get("skill_groups", [])
    skills = cat.get("skills", [])
    titles = cat.get("titles", [])
    questions = cat.get("questions", [])
    actions = cat.get("actions", [])

    for t in tracks:
        check_keys(t, "track", f"track {t.get('slug')}")
    for g in groups:
        check_keys(g, "group", f"group {g.get('slug')}")
    for s in skills:
        check_keys(s, "skill", f"skill {s.get('slug')}")
    for t in titles:
        check_keys(t, "title", f"title {t.get('slug')}")
    for q in questions:
        check_keys(q, "question", f"question {q.get('id')}")
    for a in actions:
        check_keys(a, "action", f"action {a.get('id')}")

    # ---- counts -------------------------------------------------------
    reverse = [q for q in questions if q.get("key") == -1]
    counts = [
        ("tracks", len(tracks), 2),
        ("skill groups", len(groups), 5),
        ("skills", len(skills), 17),
        ("titles", len(titles), 8),
        ("questions", len(questions), 51),
        ("actions", len(actions), 51),
    ]
    for label, got, want in counts:
        if got != want:
            err(f"expected {want} {label}, found {got}")
    if questions and len(reverse) * 4 < len(questions):
        err(f"reverse-keyed items are {len(reverse)}/{len(questions)}, need at least a quarter")

    # ---- uniqueness ---------------------------------------------------
    check_unique(tracks, "slug", "track")
    check_unique(groups, "slug", "group")
    check_unique(skills, "slug", "skill")
    check_unique(titles, "slug", "title")
    check_unique(questions, "id", "question")
    check_unique(actions, "id", "action")
    check_unique(questions, "order", "question")
    check_unique(skills, "order", "skill")

    track_slugs = {t.get("slug") for t in tracks}
    group_slugs = {g.get("slug") for g in groups}
    skill_by_slug = {s.get("slug"): s for s in skills}

    # ---- tracks and groups -------------------------------------------
    if [t.get("slug") for t in sorted(tracks, key=lambda t: t.get("order", 0))] != [
        "product-management",
        "product-leadership",
    ]:
        err("tracks must be product-management (order 1) then product-leadership (order 2)")
    for t in tracks:
        if t.get("kind") not in ("ic", "leader"):
            err(f"track {t.get('slug')}: kind must be 'ic' or 'leader'")
    got_groups = [
        (g.get("slug"), g.get("name")) for g in sorted(groups, key=lambda g: g.get("order", 0))
    ]
    if got_groups != GROUPS:
        err(f"skill groups must be exactly {GROUPS}, found {got_groups}")

    # ---- skills -------------------------------------------------------
    for s in skills:
        if s.get("group") not in group_slugs:
            err(f"skill {s.get('slug')}: unknown group {s.get('group')!r}")
        for k in ("strategic_loading", "leadership_loading"):
            v = s.get(k)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not -1 <= v <= 1:
                err(f"skill {s.get('slug')}: {k} must be a number in [-1, 1], got {v!r}")
    if sorted(s.get("order") for s in skills) != list(range(1, len(skills) + 1)):
        err("skill orders must run 1..N")
    ordered_skills = sorted(skills, key=lambda s: s.get("order", 0))

    # ---- titles -------------------------------------------------------
    positions = []
    for t in titles:
        slug = t.get("slug")
        if t.get("track") not in track_slugs:
            err(f"title {slug}: unknown track {t.get('track')!r}")
        if not isinstance(t.get("level"), int):
            err(f"title {slug}: level must be an int")
        resp = t.get("responsibilities") or []
        if not 4 <= len(resp) <= 6:
            err(f"title {slug}: needs 4 to 6 responsibilities, has {len(resp)}")
        exp = t.get("expectations") or {}
        for k in exp:
            if k not in skill_by_slug:
                err(f"title {slug}: expectation for unknown skill {k!r}")
        for s in skills:
            v = exp.get(s.get("slug"))
            if v is None:
                err(f"title {slug}: no expectation for skill {s.get('slug')}")
            elif not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 100:
                err(
                    f"title {slug}: expectation for {s.get('slug')} "
                    f"must be an int 0..100, got {v!r}"
                )
        if exp and all(v == 100 for v in exp.values()):
            err(f"title {slug}: expects 100 on everything")
        x = axis_position(exp, skills, "strategic_loading")
        y = axis_position(exp, skills, "leadership_loading")
        for label, computed, stored in (
            ("expected_strategic", x, t.get("expected_strategic")),
            ("expected_leadership", y, t.get("expected_leadership")),
        ):
            if not isinstance(stored, int) or abs(stored - computed) > 1:
                err(f"title {slug}: {label} is {stored!r}, formula gives {computed:.1f}")
        positions.append((t, x, y))

    # ---- questions ----------------------------------------------------
    active = [q for q in questions if q.get("active") is True]
    for q in questions:
        qid = q.get("id")
        if q.get("skill") not in skill_by_slug:
            err(f"question {qid}: unknown skill {q.get('skill')!r}")
        if q.get("key") not in (1, -1):
            err(f"question {qid}: key must be 1 or -1")
        if not isinstance(q.get("active"), bool):
            err(f"question {qid}: active must be true/false")
        if not re.fullmatch(re.escape(str(q.get("skill"))) + r"-\d+", str(qid)):
            err(f"question {qid}: id must be '<skill slug>-<n>'")
        if isinstance(q.get("text"), str) and len(q["text"]) > MAX_QUESTION:
            err(f"question {qid}: text is {len(q['text'])} chars (max {MAX_QUESTION})")
    expected_q_order = []
    for s in ordered_skills:
        expected_q_order += sorted(
            (q for q in questions if q.get("skill") == s.get("slug")), key=lambda q: q.get("id")
        )
    if [q.get("order") for q in expected_q_order] != list(range(1, len(questions) + 1)):
        err("question order must run 1..N following the skill order")
    for s in skills:
        qs = [q for q in active if q.get("skill") == s.get("slug")]
        if len(qs) != 3:
            err(f"skill {s.get('slug')}: has {len(qs)} active questions, expected 3")
        n_rev = sum(1 for q in qs if q.get("key") == -1)
        if n_rev != 1:
            err(f"skill {s.get('slug')}: has {n_rev} reverse-keyed questions, expected exactly 1")
    pole_counts = {}
    for axis in ("strategic_loading", "leadership_loading"):
        for pole, test in (("+", lambda a: a > 0), ("-", lambda a: a < 0)):
            n = sum(
                1
                for q in active
                if q.get("skill") in skill_by_slug and test(skill_by_slug[q["skill"]][axis])
            )
            pole_counts[(axis, pole)] = n
            if n < 4:
                err(f"axis {axis} pole {pole}: only {n} active questions (need >= 4)")

    # ---- actions ------------------------------------------------------
    practice_counts = dict.fromkeys(PRACTICES, 0)
    for a in actions:
        aid = a.get("id")
        if a.get("skill") not in skill_by_slug:
            err(f"action {aid}: unknown skill {a.get('skill')!r}")
        if a.get("horizon") not in HORIZONS:
            err(f"action {aid}: horizon must be 30, 60 or 90")
        if aid != f"{a.get('skill')}-{a.get('horizon')}":
            err(f"action {aid}: id must be '<skill slug>-<horizon>'")
        if a.get("track") is not None and a.get("track") not in track_slugs:
            err(f"action {aid}: unknown track {a.get('track')!r}")
        p = a.get("practice")
        if p != "" and p not in practice_counts:
            err(f"action {aid}: unknown practice {p!r}")
        elif p:
            practice_counts[p] += 1
        if isinstance(a.get("title"), str) and len(a["title"]) > MAX_ACTION_TITLE:
            err(f"action {aid}: title is {len(a['title'])} chars (max {MAX_ACTION_TITLE})")
    for s in skills:
        for h in HORIZONS:
            if not any(a.get("skill") == s.get("slug") and a.get("horizon") == h for a in actions):
                err(f"skill {s.get('slug')}: no action for horizon {h}")
    for p, n in practice_counts.items():
        if n < 2:
            err(f"practice {p}: used on {n} actions (need >= 2)")

    # ---- text fields --------------------------------------------------
    catalog_words = []
    for where, text in iter_texts(cat):
        if not isinstance(text, str) or not text.strip():
            err(f"{where}: empty or missing text")
            continue
        if len(text) > MAX_TEXT:
            err(f"{where}: {len(text)} chars (max {MAX_TEXT})")
        catalog_words.append((where, words(text)))

    # ---- overlap with the source article ------------------------------
    if article_path is None:
        article_path = next((p for p in ARTICLE_CANDIDATES if os.path.exists(p)), None)
    overlap_hits = 0
    if article_path and os.path.exists(article_path):
        with open(article_path, encoding="utf-8") as fh:
            article_grams = ngrams(words(fh.read()))
        for where, ws in catalog_words:
            for g in sorted(ngrams(ws) & article_grams):
                overlap_hits += 1
                err(f"{where}: shares an {NGRAM}-word sequence with the article: '{' '.join(g)}'")
    else:
        warnings.append(
            "source article not found; 8-word overlap check skipped (use --article PATH)"
        )

    # ---- report -------------------------------------------------------
    print("Counts")
    for label, got, want in counts:
        print(f"  {label:<14} {got:>3}  (expected {want})")
    print(f"  {'reverse-keyed':<14} {len(reverse):>3}  of {len(questions)} questions")
    print(f"  {'active':<14} {len(active):>3}")
    print("Active questions per axis pole")
    for (axis, pole), n in pole_counts.items():
        print(f"  {axis.replace('_loading', ''):<11} {pole}  {n:>3}")
    print("Practice tags")
    for p, n in practice_counts.items():
        print(f"  {p:<26} {n}")
    print(
        "Actions by track: "
        + ", ".join(
            f"{k or 'null'}={sum(1 for a in actions if a.get('track') == k)}"
            for k in (None, "product-management", "product-leadership")
        )
    )
    print(
        f"Article overlap ({NGRAM}-word sequences): "
        + (f"{overlap_hits} hits" if article_path and os.path.exists(article_path) else "skipped")
    )
    print()
    print(f"{'title':<24} {'track':<19} {'lvl':>3} {'strategic':>9} {'leadership':>10}  quadrant")
    for t, x, y in sorted(
        positions, key=lambda p: (p[0].get("track") != "product-management", p[0].get("level", 0))
    ):
        quad = ("strategic" if x >= 0 else "tactical") + " " + ("people leader" if y >= 0 else "IC")
        print(
            f"{t.get('short_name', ''):<24} {t.get('track', ''):<19} {t.get('level', ''):>3} "
            f"{x:>9.1f} {y:>10.1f}  {quad}"
        )
    print()
    for w in warnings:
        print("WARNING:", w)
    if errors:
        print(f"FAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  -", e)
        return 1
    print("OK: catalog passes all checks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
