"""Alpine Cluster Atlas web app: layout, callbacks and figure builders on top of ``geodata``."""
