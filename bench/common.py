"""What the benchmarks share."""


class QueryCounter:
    """A database execute wrapper counting the statements run through it."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
