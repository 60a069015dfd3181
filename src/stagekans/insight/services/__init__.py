"""Writes of the insight domain, one module per step: recompute (the precomputed tables and
signals), surveys (experience questionnaires), research (projects and extracts)."""
