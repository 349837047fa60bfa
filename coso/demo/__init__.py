"""Demo data and generated data sets: `coso demo`, `coso generate`, plus `coso serve` and `coso token`."""
