"""Train a small classifier on the iris data set that ships with scikit-learn, and report its accuracy."""

import pandas as pd
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

GREETING = "iris model"


def main():
    data = load_iris(as_frame=True)
    frame: pd.DataFrame = data.frame
    train, test = train_test_split(frame, test_size=0.3, random_state=0, stratify=frame["target"])
    features = data.feature_names
    model = LogisticRegression(max_iter=500).fit(train[features], train["target"])
    accuracy = model.score(test[features], test["target"])
    print(f"{GREETING}: trained on {len(train)} rows, accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
