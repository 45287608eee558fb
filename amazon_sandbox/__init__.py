"""A local Amazon: Selling Partner API and Login with Amazon, for tests, demos and staging.

It plays Amazon and imports nothing from the rest of saleor_amazon. Start it with
``python -m amazon_sandbox --host 127.0.0.1 --port 8100 [--seed FILE] [--speed F]
[--faults SPEC]`` or, in Python, ``SandboxServer(port=0).start()``. See app.py for the
operations served, control.py for the ``/_sandbox/`` endpoints, state.py for the seed format
and generate.py for the order generator.
"""
