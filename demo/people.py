"""Generated demo people: Vietnamese names and valid citizen IDs, the same every time."""

import random
from datetime import date, timedelta

from candidates.choices import Sex

FAMILY = (
    "Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Vũ Đỗ Ngô Dương Bùi Đặng Đào Hà "
    "Lương Thân Giáp Nghiêm Tạ Chu Phùng"
).split()
MIDDLE_MALE = "Văn Văn Đức Minh Quang Hữu Thành Tiến Xuân Đình Công Anh".split()
MIDDLE_FEMALE = "Thị Thị Thị Thu Ngọc Thanh Phương Minh Hồng Khánh Bảo".split()
GIVEN_MALE = (
    "An Anh Bình Cường Dũng Duy Đạt Đức Giang Hải Hiếu Hoàng Hùng Huy Khánh Khoa Kiên Long "
    "Lộc Mạnh Minh Nam Nghĩa Phong Phúc Quân Quang Sơn Thắng Thành Trung Tuấn Tùng Việt Vinh"
).split()
GIVEN_FEMALE = (
    "An Anh Ánh Chi Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Huệ Huyền Hương Lan Linh Ly Mai "
    "My Nga Ngân Ngọc Nhung Oanh Phương Quỳnh Tâm Thảo Thủy Trang Uyên Vân Vy Yến"
).split()
PROVINCE = "024"  # Bắc Giang, the province of Hiệp Hòa


def demo_person(
    rng: random.Random, *, born_from: date, born_to: date, serial: int, female_share=0.55
) -> dict:
    """One person: names, date of birth, sex and a citizen ID consistent with them."""
    female = rng.random() < female_share
    family = rng.choice(FAMILY)
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    if rng.random() < 0.15:  # two-syllable given names are common
        given = f"{rng.choice(MIDDLE_FEMALE[3:] if female else MIDDLE_MALE[2:])} {given}"
    span = (born_to - born_from).days
    born = born_from + timedelta(days=rng.randrange(span + 1))
    century = (born.year - 1900) // 100
    sex_digit = 2 * century + (1 if female else 0)
    citizen_id = f"{PROVINCE}{sex_digit}{born.year % 100:02d}{serial % 1_000_000:06d}"
    return {
        "family_name": f"{family} {middle}",
        "given_name": given,
        "date_of_birth": born,
        "sex": Sex.FEMALE if female else Sex.MALE,
        "citizen_id": citizen_id,
        "phone": f"09{rng.randrange(10**8):08d}",
    }


# --- the demo's year of candidates (fixtures/demo_candidates.json) -----------------------
