"""The CUAD accuracy floors of issue 11. Never lower one to make a test pass: report the shortfall.

Issue 11 retired issue 3's segment floors (precision and recall >= 0.90), which were the wrong target
for CUAD's section-scoped annotation, and set instead, cross-validated on the development half:
contract agreement >= 0.95 per type, span recall >= 0.90 (a lawyer's annotation counts as found when
a tagged segment overlaps it) and segment precision >= 0.75. Segment recall keeps no floor; its value
is held as a ratchet (``RATCHET``) so that it cannot drop unnoticed.

``BELOW_FLOOR`` lists, honestly, each number that does not reach its floor yet, with the value
measured when it was recorded (docs/accuracy.md; with the clause model, by 5-fold cross-validation by
contract). The test marks that single floor assertion as an expected failure (strict: it starts
failing as soon as the floor is reached, so the entry must then be removed) and holds the recorded
value as a no-regression ratchet instead.
"""

FLOORS = {
    "precision": 0.75,
    "span_recall": 0.90,
    "agreement": 0.95,
    "ai_fp_per_10k": 1.0,
}

# Metrics without a floor, held where they stand: clause type -> segment recall reached (3 decimals).
RATCHET = {
    ("recall", "license-grant"): 0.613,
    ("recall", "perpetual-or-irrevocable"): 0.683,
    ("recall", "ip-assignment"): 0.583,
    ("recall", "liquidated-damages"): 0.750,
    ("recall", "audit-rights"): 0.578,
}

# (metric, clause type) -> value reached; the ratchet allows no drop below it (to 3 decimals).
# Until 2026-12-04 these were held against issue 3's floors (0.90 for precision and recall); the
# history below is of those values.
# A value was lowered once, by at most 0.006, on 2026-11-27, each loss read before accepting it: the
# freelance wording "all intellectual property rights in the Deliverables shall pass to the Client"
# also catches two CUAD sentences that vest IP ("Intellectual Property comprising Residual Assets
# shall vest in", "improvements ... to a Party's intellectual property shall automatically vest in
# that Party") which the annotators left unmarked; license-grant moved by 0.003 when the model was
# retrained on the widened tags. The same change raised audit-rights.
# On 2026-12-01 negation scope (engine/polarity.py) replaced perpetual-or-irrevocable's hand-written
# negation exclusions: its precision reached the floor (0.885 -> 0.908, so its entry went) and
# license-grant rose (P 0.710 -> 0.713, R 0.611 -> 0.613, agreement 0.924 -> 0.929), held here.
# Later on 2026-12-01 grants in plain language raised license-grant (P 0.715, R 0.615, agreement
# 0.933) and ip-assignment (P 0.631, R 0.589, agreement 0.870). The same day audit-rights precision was
# lowered by 0.004, the loss read before accepting it: its pattern for a right to audit matched
# "audit" but not "audits" ("entitled ... to conduct periodic audits"), and reading the plural raised
# recall 0.569 -> 0.578 and span recall 0.673 -> 0.685 (F1 0.584 -> 0.587) while tagging sentences
# CUAD's annotators left unmarked, among them "Visa and/or MasterCard may at any time conduct
# financial and procedural audits of ISO", which is an audit right.
# On 2026-12-02 license-grant (P 0.715 -> 0.711, R 0.615 -> 0.613, agreement 0.933 -> 0.929) and
# ip-assignment (P 0.631 -> 0.624, R 0.589 -> 0.583, agreement 0.870 -> 0.866) were lowered, each loss
# read before accepting it. A held-out batch of nine real freelance and publishing agreements showed
# grants the patterns missed: "grants to Fireside non-exclusive ... rights to publish" (no article
# before the rights), "the right to create and publish sound recordings", "the code", "the source
# code" and "templates" as the work. Reading them adds, on CUAD, "The Principal grants Distributor
# non- exclusive rights to sell these products", "The code shall be the sole and exclusive property
# of the Client", "TouchStar shall own all Ancillary Software" and "only the modified portion of the
# code becomes the property of MA": a grant and three ownership clauses the annotators left unmarked.
# The rest is the cross-validated model retrained on the widened tags: it now misses "the license
# granted in Section 6.11(c) above shall convert to a perpetual ... license" and "GSK shall ...
# transfer to Theravance ... ownership of all regulatory filings", and tags three sentences it did
# not. Two false assignments the day's reading of negation and leases removed ("In no event shall
# eDiets disclose or otherwise transfer", "the right to assign all of its right, title and interest
# in and to the Lease Agreement") are in the same figures.
# On 2026-12-03 license-grant recall was lowered 0.613 -> 0.611 (precision 0.711 -> 0.712, agreement
# 0.929 -> 0.933, held here), the loss read before accepting it: an eighth set of real agreements
# showed licences in plain words the patterns missed ("you are allowed to use the finished artwork",
# "you receive unlimited rights to use your delivered photos"); the patterns add no CUAD tag, and the
# cross-validated model retrained on the changed tags now misses one sentence ("cause such consultant
# to grant an exclusive, worldwide, royalty-free ... license", inside an assignment clause) and swaps
# three false positives for three others.
# Later on 2026-12-03 license-grant precision was lowered 0.712 -> 0.708 (recall 0.611 and agreement
# 0.933 held), the loss read before accepting it: a ninth set of real agreements had a quiet all-clear
# whose only grant was "All documents provided by the contractor ... can be used by the customer and can
# be multiplied by the customer for his own use", and the patterns now read that licence; retrained on
# the changed tags, the cross-validated model tags two CUAD sentences the annotators left unmarked
# ("Licensee shall be entitled to grant sublicenses under its license", "Nothing herein grants any
# rights to Integra (i) to manufacture ...", the second a denial the model does not read).
# On 2026-12-04 ip-assignment rose (P 0.629 -> 0.642, agreement 0.866 -> 0.874), held here: data owned
# ("all User information ... shall be owned by Licensee") is no assignment of a work.
# On 2026-12-04 (batch 17 and set 16: present-tense assignments, passive licences, "you are granting")
# license-grant rose (P 0.708 -> 0.715, R 0.611 -> 0.613, agreement 0.933), held here; a first, wider
# present-tense assignment pattern cost ip-assignment 0.016 of precision and was narrowed until it cost
# nothing (0.642 / 0.583 / 0.874).
# On 2026-12-04 issue 11's floors replaced issue 3's: perpetual-or-irrevocable (precision 0.908, span
# recall 1.000, agreement 0.987) meets all three and liquidated-damages meets agreement (0.975); the
# recall entries moved to RATCHET and the span recall reached is held below.
BELOW_FLOOR = {
    ("precision", "license-grant"): 0.715,
    ("span_recall", "license-grant"): 0.814,
    ("agreement", "license-grant"): 0.933,
    ("precision", "ip-assignment"): 0.642,
    ("span_recall", "ip-assignment"): 0.641,
    ("agreement", "ip-assignment"): 0.874,
    ("precision", "liquidated-damages"): 0.637,
    ("span_recall", "liquidated-damages"): 0.836,
    ("precision", "audit-rights"): 0.596,
    ("span_recall", "audit-rights"): 0.685,
    ("agreement", "audit-rights"): 0.920,
}
