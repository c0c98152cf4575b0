from datetime import date

import pytest

from candidates.rules import citizen_id_normalise, citizen_id_problems


@pytest.mark.parametrize(
    ("value", "born", "sex", "problems"),
    [
        ("024206000123", date(2006, 3, 5), "male", 0),
        ("024306000123", date(2006, 3, 5), "female", 0),
        ("001090000001", date(1990, 1, 1), "male", 0),
        ("024206000123", date(2006, 3, 5), "female", 1),  # 4th digit says male
        ("024206000123", date(1996, 3, 5), "male", 1),  # 4th digit says born 2000–2099
        ("024205000123", date(2006, 3, 5), "male", 1),  # year digits 05, born 2006
        ("999206000123", date(2006, 3, 5), "male", 1),  # no province 999
        ("02420600012", None, "", 1),  # 11 digits
        ("02420600012a", None, "", 1),
    ],
)
def test_citizen_id_problems(value, born, sex, problems):
    assert len(citizen_id_problems(value, born=born, sex=sex)) == problems


def test_citizen_id_normalise_drops_separators():
    assert citizen_id_normalise(" 024 206.000-123 ") == "024206000123"
