"""The programme's equipment register, the equipment used in operations, team pages and the programme report."""
