"""The accuracy floors of issue 3. Never lower one to make a test pass: report the shortfall.

``BELOW_FLOOR`` lists, honestly, each number that does not reach its floor yet, with the value
measured when it was recorded (2026-11-27, docs/accuracy.md; with the clause model, by
5-fold cross-validation by contract). The test marks that single floor
assertion as an expected failure (strict: it starts failing as soon as the floor is reached, so the
entry must then be removed) and holds the recorded value as a no-regression ratchet instead.
"""

FLOORS = {
    "precision": 0.90,
    "recall": 0.90,
    "agreement": 0.95,
    "ai_fp_per_10k": 1.0,
}

# (metric, clause type) -> value reached; the ratchet allows no drop below it (to 3 decimals).
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
BELOW_FLOOR = {
    ("precision", "license-grant"): 0.715,
    ("recall", "license-grant"): 0.615,
    ("agreement", "license-grant"): 0.933,
    ("recall", "perpetual-or-irrevocable"): 0.683,
    ("precision", "ip-assignment"): 0.631,
    ("recall", "ip-assignment"): 0.589,
    ("agreement", "ip-assignment"): 0.870,
    ("precision", "liquidated-damages"): 0.637,
    ("recall", "liquidated-damages"): 0.750,
    ("precision", "audit-rights"): 0.596,
    ("recall", "audit-rights"): 0.578,
    ("agreement", "audit-rights"): 0.920,
}
