"""The accuracy floors of issue 3. Never lower one to make a test pass: report the shortfall."""

FLOORS = {
    "precision": 0.90,
    "recall": 0.90,
    "agreement": 0.95,
    "ai_fp_per_10k": 1.0,
}
