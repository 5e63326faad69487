"""``searchkit serve``: a search page in the browser over an index (Starlette, Jinja2, uvicorn).

Imported only by that command, so the one-shot CLI never loads a web library.
"""

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
