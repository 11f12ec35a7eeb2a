"""Border liaison across the border: counterpart offices, releases to them, heads-up messages.

See README "Counterparts, releases and heads-up messages".
"""
