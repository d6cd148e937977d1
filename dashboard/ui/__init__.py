"""Dash and Plotly: widgets, the shell's furniture, figures, notices, page frames."""
