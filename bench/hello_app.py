"""A minimal Dash app: the floor that cold start and worker memory are compared with.

``python bench/hello_app.py`` (``PORT``) or ``gunicorn bench.hello_app:server``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dash
from dash import html

app = dash.Dash(__name__, title="Hello", serve_locally=True,
                assets_folder=str(Path(__file__).resolve().parent / "no-assets"))
app.layout = html.Div([html.H1("Hello, Dash"), html.P("A minimal app.")])
server = app.server

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")), debug=False)
