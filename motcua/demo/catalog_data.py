"""The demo catalogue: fields and about a hundred procedures, written as data.

Each procedure is a `P` row: national-style code, name, field key, handling agency key (a
provincial agency of `agencies_data`, or "commune" for every commune), legal time and unit
("d" working days, "h" working hours, "c" calendar days; None for a one-way procedure), online
class, postal service, fee, required documents ("|"-separated) and a demand weight (how often
it is filed, relative to the others).
"""

from __future__ import annotations

from typing import NamedTuple

FIELDS: dict[str, str] = {
    "luuthong": "Lưu thông hàng hóa trong nước",
    "xuctien": "Xúc tiến thương mại",
    "dien": "Điện",
    "hoatchat": "Hóa chất",
    "hotich": "Hộ tịch",
    "chungthuc": "Chứng thực",
    "luatsu": "Luật sư",
    "lylich": "Lý lịch tư pháp",
    "datdai": "Đất đai",
    "moitruong": "Môi trường",
    "xaydung": "Hoạt động xây dựng",
    "duongbo": "Đường bộ",
    "doanhnghiep": "Thành lập và hoạt động doanh nghiệp",
    "dautu": "Đầu tư tại Việt Nam",
    "yte": "Y tế dự phòng",
    "duoc": "Dược phẩm",
    "khambenh": "Khám bệnh, chữa bệnh",
    "giaoduc": "Giáo dục và Đào tạo",
    "laodong": "Việc làm",
    "baotro": "Bảo trợ xã hội",
    "nguoicocong": "Người có công",
    "vanhoa": "Văn hóa",
    "dulich": "Du lịch",
    "khoahoc": "Hoạt động khoa học và công nghệ",
    "khieunai": "Khiếu nại, tố cáo",
    "trongtrot": "Trồng trọt và bảo vệ thực vật",
}


class P(NamedTuple):
    code: str
    name: str
    field: str
    agency: str
    time: int | None
    unit: str
    online: str
    postal: bool
    fee: str
    docs: str
    weight: int


DON = "Đơn đề nghị theo mẫu"
CCCD = "Bản sao Căn cước công dân hoặc giấy tờ tùy thân"
GPKD = "Bản sao Giấy chứng nhận đăng ký doanh nghiệp"

# fmt: off
PROCEDURES: list[P] = [
    # --- Sở Công Thương -------------------------------------------------------------------
    P("1.000281", "Thông báo thực hiện khuyến mại", "xuctien", "congthuong", None, "d", "full", False, "", f"Thông báo thực hiện khuyến mại theo mẫu|{GPKD}", 30),
    P("1.000267", "Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi", "xuctien", "congthuong", 5, "d", "full", True, "", f"{DON}|Thể lệ chương trình khuyến mại|Mẫu vé số dự thưởng", 6),
    P("1.000258", "Thông báo sửa đổi, bổ sung nội dung chương trình khuyến mại", "xuctien", "congthuong", None, "d", "full", False, "", "Thông báo sửa đổi, bổ sung theo mẫu", 8),
    P("1.000239", "Đăng ký tổ chức hội chợ, triển lãm thương mại", "xuctien", "congthuong", 7, "d", "partial", True, "", f"{DON}|Kế hoạch tổ chức hội chợ", 3),
    P("2.000633", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "luuthong", "congthuong", 15, "d", "partial", True, "1.200.000 đồng", f"{DON}|{GPKD}|Văn bản giới thiệu của thương nhân cung cấp|Bản kê địa điểm bán hàng", 5),
    P("2.000620", "Cấp Giấy phép bán buôn rượu", "luuthong", "congthuong", 15, "d", "partial", True, "1.200.000 đồng", f"{DON}|{GPKD}|Hợp đồng nguyên tắc với nhà cung cấp|Bản cam kết về kho hàng", 4),
    P("2.000615", "Cấp Giấy phép sản xuất rượu công nghiệp dưới 3 triệu lít/năm", "luuthong", "congthuong", 15, "d", "level3", True, "2.200.000 đồng", f"{DON}|{GPKD}|Bản công bố sản phẩm rượu|Giấy chứng nhận đủ điều kiện an toàn thực phẩm", 2),
    P("2.000190", "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu", "luuthong", "congthuong", 15, "d", "partial", True, "1.200.000 đồng", f"{DON}|{GPKD}|Bản sao giấy phép xây dựng cửa hàng|Phương án phòng cháy chữa cháy", 3),
    P("2.000162", "Cấp lại Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu", "luuthong", "congthuong", 10, "d", "full", True, "600.000 đồng", f"{DON}|Bản gốc giấy chứng nhận đã cấp", 2),
    P("2.000346", "Cấp Giấy phép kinh doanh bán buôn sản phẩm rượu", "luuthong", "congthuong", 15, "d", "partial", True, "1.200.000 đồng", f"{DON}|{GPKD}|Hợp đồng thuê kho", 2),
    P("2.001283", "Cấp giấy phép hoạt động điện lực trong lĩnh vực phân phối điện", "dien", "congthuong", 15, "d", "partial", True, "1.600.000 đồng", f"{DON}|{GPKD}|Danh sách cán bộ quản lý kỹ thuật|Sơ đồ lưới điện", 1),
    P("2.000305", "Huấn luyện và cấp mới thẻ an toàn điện", "dien", "congthuong", 10, "d", "level3", False, "", f"{DON}|Ảnh 3x4|Giấy chứng nhận sức khỏe", 2),
    P("2.000591", "Cấp giấy chứng nhận đủ điều kiện sản xuất hóa chất sản xuất, kinh doanh có điều kiện", "hoatchat", "congthuong", 12, "d", "partial", True, "1.200.000 đồng", f"{DON}|{GPKD}|Bản kê khai địa điểm, kho chứa|Phiếu an toàn hóa chất", 1),
    P("2.000585", "Xác nhận kế hoạch phòng ngừa, ứng phó sự cố hóa chất", "hoatchat", "congthuong", 10, "d", "partial", False, "", "Văn bản đề nghị|Kế hoạch phòng ngừa, ứng phó sự cố hóa chất", 1),
    # --- Sở Tư pháp -------------------------------------------------------------------------
    P("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "lylich", "tuphap", 10, "d", "full", True, "200.000 đồng", f"Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp|{CCCD}|Bản sao giấy tờ chứng minh nơi thường trú", 40),
    P("2.000505", "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng", "lylich", "tuphap", 10, "d", "partial", False, "", "Văn bản yêu cầu của cơ quan tiến hành tố tụng", 2),
    P("1.002079", "Đăng ký hành nghề luật sư với tư cách cá nhân", "luatsu", "tuphap", 7, "d", "partial", True, "100.000 đồng", f"{DON}|Bản sao chứng chỉ hành nghề luật sư|Bản sao thẻ luật sư", 1),
    P("1.002055", "Đăng ký hoạt động của văn phòng luật sư, công ty luật", "luatsu", "tuphap", 10, "d", "partial", True, "100.000 đồng", f"{DON}|Dự thảo điều lệ công ty luật|Bản sao chứng chỉ hành nghề", 1),
    P("2.000908", "Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài", "hotich", "tuphap", 5, "d", "partial", True, "75.000 đồng", f"Tờ khai theo mẫu|Bản sao giấy tờ kết hôn do nước ngoài cấp|{CCCD}", 2),
    P("2.002189", "Thay đổi, cải chính, bổ sung thông tin hộ tịch có yếu tố nước ngoài", "hotich", "tuphap", 3, "d", "partial", True, "28.000 đồng", f"Tờ khai theo mẫu|Giấy khai sinh bản chính|{CCCD}", 2),
    # --- commune: Hộ tịch, Chứng thực, Bảo trợ xã hội, Đất đai ------------------------------
    P("1.001193", "Đăng ký khai sinh", "hotich", "commune", 1, "d", "full", True, "", "Tờ khai đăng ký khai sinh theo mẫu|Giấy chứng sinh|Giấy tờ tùy thân của người đi đăng ký", 60),
    P("1.000894", "Đăng ký kết hôn", "hotich", "commune", 1, "d", "partial", False, "", f"Tờ khai đăng ký kết hôn theo mẫu|{CCCD}|Giấy xác nhận tình trạng hôn nhân", 25),
    P("1.000656", "Đăng ký khai tử", "hotich", "commune", 1, "d", "full", True, "", "Tờ khai đăng ký khai tử theo mẫu|Giấy báo tử hoặc giấy tờ thay thế", 15),
    P("1.004873", "Cấp bản sao trích lục hộ tịch", "hotich", "commune", 1, "d", "full", True, "8.000 đồng/bản", f"Tờ khai theo mẫu|{CCCD}", 35),
    P("1.004884", "Đăng ký lại khai sinh", "hotich", "commune", 5, "d", "partial", True, "", "Tờ khai theo mẫu|Bản sao giấy khai sinh (nếu có)|Giấy tờ, tài liệu chứng minh nội dung khai sinh", 8),
    P("1.000689", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", "hotich", "commune", 3, "d", "partial", True, "", "Tờ khai theo mẫu|Giấy tờ liên quan làm căn cứ cải chính", 10),
    P("1.004746", "Cấp Giấy xác nhận tình trạng hôn nhân", "hotich", "commune", 3, "d", "full", True, "", f"Tờ khai cấp Giấy xác nhận tình trạng hôn nhân|{CCCD}", 30),
    P("1.001035", "Đăng ký nhận cha, mẹ, con", "hotich", "commune", 3, "d", "partial", False, "", "Tờ khai đăng ký nhận cha, mẹ, con|Văn bản xác nhận quan hệ cha, mẹ, con", 3),
    P("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "chungthuc", "commune", 4, "h", "none", False, "2.000 đồng/trang", "Bản chính giấy tờ, văn bản|Bản sao cần chứng thực", 120),
    P("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "chungthuc", "commune", 4, "h", "none", False, "10.000 đồng/trường hợp", f"{CCCD}|Giấy tờ, văn bản cần chứng thực chữ ký", 60),
    P("2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "chungthuc", "commune", 2, "d", "none", False, "50.000 đồng/hợp đồng", f"Dự thảo hợp đồng, giao dịch|{CCCD}|Bản sao giấy chứng nhận quyền sở hữu", 20),
    P("2.000913", "Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất", "chungthuc", "commune", 2, "d", "none", False, "50.000 đồng/hợp đồng", f"Dự thảo hợp đồng, giao dịch|{CCCD}|Bản sao Giấy chứng nhận quyền sử dụng đất", 25),
    P("2.000942", "Chứng thực văn bản thỏa thuận phân chia di sản", "chungthuc", "commune", 3, "d", "none", False, "50.000 đồng/văn bản", f"Dự thảo văn bản thỏa thuận|{CCCD}|Giấy chứng tử|Giấy tờ chứng minh quan hệ thừa kế", 4),
    P("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng", "baotro", "commune", 20, "d", "partial", True, "", "Tờ khai theo mẫu|Bản sao giấy xác nhận khuyết tật (nếu có)", 10),
    P("1.001758", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "baotro", "commune", 5, "d", "partial", True, "", "Tờ khai đề nghị hỗ trợ chi phí mai táng|Bản sao giấy chứng tử", 4),
    P("2.000286", "Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình", "baotro", "commune", 10, "d", "partial", False, "", "Giấy đề nghị xác nhận|Bản sao sổ hộ khẩu hoặc giấy xác nhận cư trú", 6),
    P("1.003554", "Hòa giải tranh chấp đất đai", "datdai", "commune", 30, "d", "none", False, "", "Đơn đề nghị hòa giải tranh chấp đất đai|Giấy tờ về quyền sử dụng đất", 4),
    P("1.012756", "Đăng ký đất đai, tài sản gắn liền với đất lần đầu", "datdai", "commune", 20, "d", "partial", True, "Theo quy định của HĐND tỉnh", "Đơn đăng ký theo mẫu|Giấy tờ về quyền sử dụng đất|Sơ đồ nhà ở, công trình xây dựng|Chứng từ thực hiện nghĩa vụ tài chính", 12),
    P("1.012757", "Đăng ký biến động quyền sử dụng đất do chuyển nhượng, tặng cho, thừa kế", "datdai", "commune", 10, "d", "partial", True, "Theo quy định của HĐND tỉnh", "Đơn đăng ký biến động theo mẫu|Hợp đồng chuyển nhượng đã công chứng|Bản gốc Giấy chứng nhận đã cấp", 18),
    P("1.011605", "Cấp Giấy phép xây dựng nhà ở riêng lẻ", "xaydung", "commune", 15, "d", "partial", True, "75.000 đồng", "Đơn đề nghị cấp giấy phép xây dựng|Bản sao giấy tờ về quyền sử dụng đất|Hai bộ bản vẽ thiết kế xây dựng", 16),
    P("1.010004", "Đăng ký kinh doanh hộ kinh doanh", "doanhnghiep", "commune", 3, "d", "full", False, "100.000 đồng", f"Giấy đề nghị đăng ký hộ kinh doanh|{CCCD}|Biên bản họp thành viên hộ gia đình", 14),
    P("2.000575", "Thông báo tạm ngừng kinh doanh hộ kinh doanh", "doanhnghiep", "commune", None, "d", "full", False, "", "Thông báo tạm ngừng kinh doanh theo mẫu", 5),
    P("1.000775", "Giải quyết khiếu nại lần đầu tại cấp xã", "khieunai", "commune", 30, "d", "none", False, "", "Đơn khiếu nại|Tài liệu, chứng cứ kèm theo", 2),
    P("2.002410", "Tiếp công dân tại cấp xã", "khieunai", "commune", 10, "d", "none", False, "", "Đơn kiến nghị, phản ánh", 3),
]
# fmt: on

from motcua.demo.catalog_data_more import MORE_PROCEDURES  # noqa: E402

PROCEDURES += MORE_PROCEDURES

# Internal process templates: (step name, role, share of the time budget in %).
PROCESS_STANDARD = [
    ("Tiếp nhận, kiểm tra hồ sơ và chuyển phòng chuyên môn", "counter_officer", 5),
    ("Thẩm định hồ sơ, dự thảo kết quả", "specialist", 60),
    ("Lãnh đạo phòng xem xét, trình ký", "department_head", 15),
    ("Lãnh đạo cơ quan phê duyệt, ký kết quả", "leader", 15),
    ("Trả kết quả cho tổ chức, cá nhân", "counter_officer", 5),
]
PROCESS_SHORT = [
    ("Tiếp nhận và kiểm tra hồ sơ", "counter_officer", 10),
    ("Xử lý hồ sơ", "specialist", 60),
    ("Ký duyệt kết quả", "leader", 20),
    ("Trả kết quả", "counter_officer", 10),
]
PROCESS_ONE_WAY = [
    ("Tiếp nhận, vào sổ theo dõi", "counter_officer", 50),
    ("Lưu hồ sơ", "specialist", 50),
]
