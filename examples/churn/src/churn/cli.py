"""Score a few customers with fixed logistic weights."""

import numpy as np

from churn import __version__

WEIGHTS = np.array([0.8, -1.2, 0.05])
CUSTOMERS = {"ada": [3, 1, 12], "bob": [0, 2, 40], "cy": [5, 0, 2]}


def main():
    for name, features in sorted(CUSTOMERS.items()):
        score = 1 / (1 + np.exp(-(WEIGHTS @ np.array(features, dtype=float))))
        print(f"{name}: churn risk {score:.2f}")
    print(f"churn {__version__} scored {len(CUSTOMERS)} customers")


if __name__ == "__main__":
    main()
