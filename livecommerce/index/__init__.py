"""The index, step by step as the OECD/JRC Handbook orders them: the scheme, treatment, imputation, denominators,
normalisation, weights and aggregation (``compose`` runs them), the model (the index as arrays), the report's
weights recovered, and ranks.

>>> from livecommerce import index
>>> index.build(panel, "data/schemes/report2023.toml")  # every leaf and node score by region
"""

from livecommerce.index.compose import aggregate_nodes, build, indicator_scores, node_weights, prepare, weights_table

__all__ = ["aggregate_nodes", "build", "indicator_scores", "node_weights", "prepare", "weights_table"]
