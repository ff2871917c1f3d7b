import prop_support  # noqa: F401  (registers and loads the Hypothesis profile)
