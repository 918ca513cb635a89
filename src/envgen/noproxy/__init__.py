"""NO_PROXY: canonical rules, URLs, what rules mean, and how each family must write them."""
