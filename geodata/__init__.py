"""Alpine Cluster Atlas data layer: NUTS regions, the cluster register, the spatial join and region metrics.

Pure functions and a CLI (``python -m geodata``). Nothing here imports Dash or Plotly.
"""
