"""The demo's TTHC-control story as data: publication decisions and their items, internal
processes approved after them, draft legal texts, review conclusions (see demo/control.py)."""

from __future__ import annotations

from typing import Any

from motcua.control.choices import ItemAction

SIGNERS = ["Nguyễn Văn Thắng", "Trần Thị Hồng Nhung", "Lê Minh Khoa"]

# Publication decisions, oldest first: days before today it was issued, handling agency
# (key of agencies_data, "commune" for the communes), field described, and its items
# (action, procedure code, attributes set).
Item = tuple[str, str, dict[str, Any]]
AMEND, PUBLISH, ABOLISH = ItemAction.AMEND, ItemAction.PUBLISH, ItemAction.ABOLISH
DECISIONS: list[tuple[int, str, str, list[Item]]] = [
    (690, "xaydung", "Đường bộ", [
        (AMEND, "1.002804", {"processing_time": 7}),
        (AMEND, "1.001777", {"processing_time": 5, "online_class": "full"}),
        (AMEND, "1.002835", {"fee": "150.000 đồng"}),
    ]),
    (630, "yte", "Dược phẩm", [
        (AMEND, "1.004616", {"processing_time": 15}),
        (AMEND, "1.004604", {"online_class": "full"}),
    ]),
    (575, "nongnghiep", "Trồng trọt và bảo vệ thực vật", [
        (AMEND, "1.008004", {"processing_time": 10}),
        (AMEND, "1.004509", {"processing_time": 10}),
    ]),
    (525, "tuphap", "Luật sư; Hộ tịch", [
        (AMEND, "1.002079", {"processing_time": 5}),
        (AMEND, "1.002055", {"processing_time": 7}),
        (AMEND, "2.002189", {"online_class": "full"}),
    ]),
    # The communes' procedures after the 2025 reform of local government (date adjusted below).
    (505, "commune", "Hộ tịch; Chứng thực; Đất đai; Hoạt động xây dựng; Hộ kinh doanh", [
        (PUBLISH, code, {}) for code in (
            "1.000894", "1.000656", "1.004873", "1.004884", "1.000689", "1.004746", "1.001035",
            "2.000884", "2.001035", "2.000942", "1.012756", "1.012757", "1.011605", "1.010004",
        )
    ]),
    (455, "taichinh", "Đầu tư tại Việt Nam", [
        (AMEND, "1.009646", {"processing_time": 12}),
        (AMEND, "1.009648", {"processing_time": 10}),
    ]),
    (400, "vanhoa", "Du lịch", [
        (AMEND, "1.001440", {"processing_time": 20}),
        (AMEND, "1.004628", {"fee": "2.000.000 đồng"}),
        (AMEND, "1.003809", {"fee": "325.000 đồng"}),
    ]),
    (340, "noivu", "Việc làm", [
        (AMEND, "1.001881", {"processing_time": 5, "online_class": "full"}),
        (AMEND, "1.000459", {"processing_time": 2}),
    ]),
    (280, "khoahoc", "Hoạt động khoa học và công nghệ", [
        (AMEND, "1.001577", {"processing_time": 10}),
        (AMEND, "1.004440", {"online_class": "full"}),
    ]),
    (190, "giaoduc", "Giáo dục và Đào tạo", [
        (AMEND, "1.005104", {"processing_time": 15}),
        (AMEND, "1.005092", {"processing_time": 3}),
        (ABOLISH, "1.001000", {}),
    ]),
    (95, "congthuong", "Điện; Hóa chất; Lưu thông hàng hóa trong nước", [
        (ABOLISH, "2.000305", {}),
        (AMEND, "2.000585", {"online_class": "full"}),
        (AMEND, "2.000162", {"fee": "500.000 đồng"}),
    ]),
    # Issued a few days ago, in force from the first day of next month: not applied yet.
    (4, "yte", "Khám bệnh, chữa bệnh; Y tế dự phòng", [
        (AMEND, "1.004028", {"processing_time": 15}),
        (AMEND, "1.003962", {"processing_time": 20}),
        (AMEND, "1.001907", {"online_class": "full"}),
    ]),
]  # fmt: skip
# Internal processes approved after the publication decision of the given index.
PROCESS_DECISIONS: list[tuple[int, list[str]]] = [
    (0, ["1.002804", "1.001777", "1.002835"]),
    (2, ["1.008004", "1.004509"]),
    (4, ["1.004884", "1.000689", "1.011605", "1.012757", "1.012756"]),
    (8, ["1.001577", "1.004440"]),
]
STEPS = ["Tiếp nhận hồ sơ", "Thẩm định", "Phê duyệt", "Trả kết quả"]
STEP_ROLES = ["counter_officer", "specialist", "leader", "counter_officer"]
STEP_SHARES = [(10, 60, 20, 10), (5, 65, 20, 10), (10, 55, 25, 10)]
DRAFTS: list[tuple[int, str, str, int, str]] = [
    (600, "xaydung", "Dự thảo Quyết định của Ủy ban nhân dân tỉnh ban hành Quy định về cấp giấy "
     "phép xây dựng trên địa bàn tỉnh Sơn Lâm", 4, "Đề nghị quy định rõ thành phần hồ sơ cấp "
     "giấy phép xây dựng có thời hạn; không yêu cầu nộp bản sao giấy tờ đã có trong cơ sở dữ liệu "
     "quốc gia về dân cư."),
    (320, "taichinh", "Dự thảo Nghị quyết của Hội đồng nhân dân tỉnh quy định mức thu, chế độ "
     "thu, nộp, quản lý lệ phí đăng ký kinh doanh hộ kinh doanh trên địa bàn tỉnh", 2, "Đề nghị "
     "miễn lệ phí đối với hồ sơ nộp trực tuyến để khuyến khích sử dụng dịch vụ công trực tuyến."),
    (60, "nongnghiep", "Dự thảo Quyết định của Ủy ban nhân dân tỉnh quy định trình tự, thủ tục "
     "chuyển mục đích sử dụng đất trồng lúa sang đất trồng cây lâu năm", 3, "Thống nhất với dự "
     "thảo; đề nghị rút ngắn thời hạn thẩm định từ 20 ngày xuống 15 ngày làm việc và bổ sung "
     "biểu mẫu đơn đề nghị."),
]  # fmt: skip
KEEP_CONCLUSIONS = [
    "Thủ tục hành chính cần thiết, hợp lý, hợp pháp; đề nghị giữ nguyên.",
    "Thành phần hồ sơ và thời hạn giải quyết phù hợp với thực tiễn; chưa cần sửa đổi.",
    "Thủ tục được thực hiện ổn định, tỷ lệ hồ sơ đúng hạn cao; giữ nguyên như đã công bố.",
]
UNIT_WORDS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc"}
