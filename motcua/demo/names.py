"""Vietnamese names, addresses and businesses for the demo's applicants."""

from __future__ import annotations

import random

from motcua.core.validators import tax_check_digit, with_tax_check_digit

SURNAMES = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm"] * 2
    + ["Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
)
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Đình", "Tiến"]
MIDDLE_FEMALE = ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Bảo"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Khoa",
    "Long", "Lộc", "Minh", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành",
    "Toàn", "Trung", "Tuấn", "Việt", "Vinh",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên",
    "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Tâm",
    "Thảo", "Trang", "Uyên", "Vân", "Yến",
]  # fmt: skip
STREETS = [
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt",
    "Hùng Vương", "Phan Chu Trinh", "Nguyễn Du", "Bà Triệu", "Lê Hồng Phong", "Ngô Quyền",
]  # fmt: skip
BUSINESS_WORDS = [
    "Thương mại Dịch vụ Sơn Lâm", "Xây dựng Phú An", "Nông sản Bình Minh", "Vận tải Hòa Bình",
    "Dược phẩm Kim Liên", "Thực phẩm Nam Thành", "Điện máy Đông Hòa", "Du lịch Hương Sơn",
    "Cơ khí Tân Lập", "May mặc Long Hưng", "Gỗ Xuân Trường", "Vật liệu Yên Thế",
    "Công nghệ Bắc Sơn", "Phân bón Cẩm Giang", "Thủy sản Lạc Thủy", "Bao bì Mỹ Lộc",
]  # fmt: skip
BUSINESS_FORMS = ["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Hộ kinh doanh"]


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        middle, given = rng.choice(MIDDLE_MALE), rng.choice(GIVEN_MALE)
    else:
        middle, given = rng.choice(MIDDLE_FEMALE), rng.choice(GIVEN_FEMALE)
    return f"{rng.choice(SURNAMES)} {middle} {given}"


def business_name(rng: random.Random) -> str:
    return f"{rng.choice(BUSINESS_FORMS)} {rng.choice(BUSINESS_WORDS)}"


def citizen_id(rng: random.Random) -> str:
    """A 12-digit citizen identity number (fictional province prefix 099)."""
    return f"099{rng.randint(0, 3)}{rng.randint(40, 99):02d}{rng.randint(0, 999999):06d}"


def tax_number(rng: random.Random) -> str:
    """A 10-digit tax code with a valid check digit (fictional prefix 99)."""
    serial = rng.randint(0, 99999999) // 10  # one draw, as before: the demo stays the same
    while tax_check_digit(f"99{serial:07d}") is None:  # no code has it: take the next serial
        serial = (serial + 1) % 10**7
    return with_tax_check_digit(f"99{serial:07d}")


def phone(rng: random.Random) -> str:
    return f"0{rng.choice([3, 5, 7, 8, 9])}{rng.randint(10000000, 99999999)}"


def address(rng: random.Random, commune: str) -> str:
    return f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, {commune}, tỉnh Sơn Lâm"
