"""The demo shop ``make run`` starts: a Saleor shop wired to the local Amazon sandbox.

Development only, like ``amazon_sandbox``: neither is part of the plugin's package.
``python -m amazon_demo --sandbox-url URL`` (see ``__main__``); the pieces are in
``amazon_demo.shop``.
"""
