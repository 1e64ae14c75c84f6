"""The pure comparison engine: prepare, align, paraphrase, classify, score, compare."""
