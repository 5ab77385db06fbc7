"""Small engines for the suite's own tests: deliberately wrong or incomplete."""
