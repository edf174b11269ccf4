"""The agencies of the fictional province of Sơn Lâm (province code H99)."""

from __future__ import annotations

PROVINCE_CODE = "000.00.00.H99"
PROVINCE_NAME = "Ủy ban nhân dân tỉnh Sơn Lâm"
CENTER_CODE = "000.00.20.H99"
CENTER_NAME = "Trung tâm Phục vụ hành chính công tỉnh Sơn Lâm"

# key, code, name, short name
PROVINCIAL_AGENCIES: list[tuple[str, str, str, str]] = [
    ("tuphap", "000.00.01.H99", "Sở Tư pháp tỉnh Sơn Lâm", "Sở Tư pháp"),
    ("congthuong", "000.00.02.H99", "Sở Công Thương tỉnh Sơn Lâm", "Sở Công Thương"),
    ("xaydung", "000.00.03.H99", "Sở Xây dựng tỉnh Sơn Lâm", "Sở Xây dựng"),
    (
        "nongnghiep",
        "000.00.04.H99",
        "Sở Nông nghiệp và Môi trường tỉnh Sơn Lâm",
        "Sở Nông nghiệp và Môi trường",
    ),
    ("taichinh", "000.00.05.H99", "Sở Tài chính tỉnh Sơn Lâm", "Sở Tài chính"),
    ("yte", "000.00.06.H99", "Sở Y tế tỉnh Sơn Lâm", "Sở Y tế"),
    ("giaoduc", "000.00.07.H99", "Sở Giáo dục và Đào tạo tỉnh Sơn Lâm", "Sở Giáo dục và Đào tạo"),
    ("noivu", "000.00.08.H99", "Sở Nội vụ tỉnh Sơn Lâm", "Sở Nội vụ"),
    (
        "vanhoa",
        "000.00.09.H99",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Sơn Lâm",
        "Sở Văn hóa, Thể thao và Du lịch",
    ),
    (
        "khoahoc",
        "000.00.10.H99",
        "Sở Khoa học và Công nghệ tỉnh Sơn Lâm",
        "Sở Khoa học và Công nghệ",
    ),
    (
        "thanhtra",
        "000.00.11.H99",
        "Thanh tra tỉnh Sơn Lâm",
        "Thanh tra tỉnh",
    ),
]

# parent key, code, name
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("congthuong", "H99.02.01", "Phòng Quản lý thương mại"),
    ("congthuong", "H99.02.02", "Phòng Quản lý công nghiệp"),
    ("tuphap", "H99.01.01", "Phòng Hành chính tư pháp"),
    ("xaydung", "H99.03.01", "Phòng Quản lý vận tải, phương tiện và người lái"),
]

# Communes and wards after the 2025 reform: code, name.
COMMUNES: list[tuple[str, str]] = [
    ("H99.100", "Phường Sơn Lâm"),
    ("H99.101", "Phường Bắc Sơn"),
    ("H99.102", "Phường Nam Thành"),
    ("H99.103", "Phường Đông Hòa"),
    ("H99.104", "Phường Tây Lĩnh"),
    ("H99.105", "Phường Hòa Bình"),
    ("H99.106", "Xã An Phú"),
    ("H99.107", "Xã Bình Minh"),
    ("H99.108", "Xã Cẩm Giang"),
    ("H99.109", "Xã Đại Đồng"),
    ("H99.110", "Xã Hương Sơn"),
    ("H99.111", "Xã Kim Liên"),
    ("H99.112", "Xã Lạc Thủy"),
    ("H99.113", "Xã Long Hưng"),
    ("H99.114", "Xã Mỹ Lộc"),
    ("H99.115", "Xã Nghĩa Hưng"),
    ("H99.116", "Xã Phú Xuyên"),
    ("H99.117", "Xã Quảng Tiến"),
    ("H99.118", "Xã Tân Lập"),
    ("H99.119", "Xã Thạch Bàn"),
    ("H99.120", "Xã Thanh Lương"),
    ("H99.121", "Xã Trung Sơn"),
    ("H99.122", "Xã Vĩnh Phúc"),
    ("H99.123", "Xã Xuân Trường"),
    ("H99.124", "Xã Yên Thế"),
]

# Level code, name, rank (the catalogue's data migration creates them; kept here defensively).
LEVELS: list[tuple[str, str, int]] = [
    ("province", "Cấp tỉnh", 0),
    ("provincial_agency", "Sở, ban, ngành", 1),
    ("district", "Cấp huyện", 2),
    ("commune", "Cấp xã", 3),
    ("department", "Phòng chuyên môn", 4),
]

# The symbols of their document numbers ("Số: 215/BC-SCT"), by code.
ABBREVIATIONS: dict[str, str] = {
    CENTER_CODE: "TTPVHCC",
    "000.00.01.H99": "STP",
    "000.00.02.H99": "SCT",
    "000.00.03.H99": "SXD",
    "000.00.04.H99": "SNNMT",
    "000.00.05.H99": "STC",
    "000.00.06.H99": "SYT",
    "000.00.07.H99": "SGDĐT",
    "000.00.08.H99": "SNV",
    "000.00.09.H99": "SVHTTDL",
    "000.00.10.H99": "SKHCN",
    "000.00.11.H99": "TTr",
}
