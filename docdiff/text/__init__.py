"""Text: tokenising and normalising, stable k-gram seeds, the rarity model."""
