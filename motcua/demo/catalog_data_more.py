"""The demo catalogue, continued: procedures of the other provincial agencies."""

from __future__ import annotations

from motcua.demo.catalog_data import CCCD, DON, GPKD, P

# fmt: off
MORE_PROCEDURES: list[P] = [
    # --- Sở Tài chính: doanh nghiệp, đầu tư ---------------------------------------------------
    P("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "doanhnghiep", "taichinh", 3, "d", "full", False, "50.000 đồng", f"Giấy đề nghị đăng ký doanh nghiệp|{CCCD}", 20),
    P("1.005167", "Đăng ký thành lập công ty TNHH một thành viên", "doanhnghiep", "taichinh", 3, "d", "full", False, "50.000 đồng", "Giấy đề nghị đăng ký doanh nghiệp|Điều lệ công ty|Bản sao giấy tờ pháp lý của chủ sở hữu", 30),
    P("1.005165", "Đăng ký thành lập công ty cổ phần", "doanhnghiep", "taichinh", 3, "d", "full", False, "50.000 đồng", "Giấy đề nghị đăng ký doanh nghiệp|Điều lệ công ty|Danh sách cổ đông sáng lập|Bản sao giấy tờ pháp lý của cổ đông", 12),
    P("2.002033", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "doanhnghiep", "taichinh", 3, "d", "full", False, "50.000 đồng", "Thông báo thay đổi nội dung đăng ký doanh nghiệp|Nghị quyết, quyết định của chủ sở hữu", 35),
    P("1.004982", "Thông báo thay đổi thông tin cổ đông sáng lập", "doanhnghiep", "taichinh", None, "d", "full", False, "", "Thông báo theo mẫu|Danh sách cổ đông sáng lập sau khi thay đổi", 6),
    P("2.002042", "Giải thể doanh nghiệp", "doanhnghiep", "taichinh", 5, "d", "full", False, "", "Thông báo về giải thể doanh nghiệp|Báo cáo thanh lý tài sản|Danh sách người lao động đã được giải quyết quyền lợi", 6),
    P("2.002046", "Thông báo tạm ngừng kinh doanh của doanh nghiệp", "doanhnghiep", "taichinh", None, "d", "full", False, "", "Thông báo tạm ngừng kinh doanh theo mẫu|Nghị quyết của hội đồng thành viên", 8),
    P("1.009645", "Chấp thuận chủ trương đầu tư của UBND cấp tỉnh", "dautu", "taichinh", 30, "d", "partial", True, "", "Văn bản đề nghị thực hiện dự án|Đề xuất dự án đầu tư|Báo cáo năng lực tài chính của nhà đầu tư|Đề xuất nhu cầu sử dụng đất", 2),
    P("1.009646", "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư", "dautu", "taichinh", 15, "d", "partial", True, "", "Văn bản đề nghị cấp Giấy chứng nhận đăng ký đầu tư|Đề xuất dự án đầu tư|Bản sao tài liệu về tư cách pháp lý của nhà đầu tư", 2),
    P("1.009648", "Điều chỉnh dự án đầu tư", "dautu", "taichinh", 15, "d", "partial", True, "", "Văn bản đề nghị điều chỉnh dự án|Báo cáo tình hình thực hiện dự án", 2),
    # --- Sở Xây dựng: đường bộ, xây dựng -------------------------------------------------------
    P("1.002809", "Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp", "duongbo", "xaydung", 5, "d", "full", True, "135.000 đồng", f"Đơn đề nghị đổi giấy phép lái xe|Giấy khám sức khỏe|{CCCD}|Bản sao giấy phép lái xe", 45),
    P("1.002804", "Cấp lại Giấy phép lái xe", "duongbo", "xaydung", 10, "d", "full", True, "135.000 đồng", "Đơn đề nghị cấp lại giấy phép lái xe|Giấy khám sức khỏe|Hồ sơ gốc (nếu có)", 12),
    P("1.002835", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "duongbo", "xaydung", 5, "d", "full", True, "200.000 đồng", f"Giấy đề nghị cấp giấy phép kinh doanh|{GPKD}|Phương án kinh doanh vận tải", 8),
    P("1.002859", "Cấp phù hiệu xe ô tô kinh doanh vận tải", "duongbo", "xaydung", 2, "d", "full", False, "", "Giấy đề nghị cấp phù hiệu|Bản sao giấy đăng ký xe ô tô", 25),
    P("1.001777", "Cấp Giấy phép thi công công trình đường bộ trên đường bộ đang khai thác", "duongbo", "xaydung", 7, "d", "partial", True, "", "Đơn đề nghị cấp phép thi công|Hồ sơ thiết kế|Phương án tổ chức giao thông", 3),
    P("1.009974", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "xaydung", "xaydung", 20, "d", "partial", True, "150.000 đồng", "Đơn đề nghị cấp giấy phép xây dựng|Bản sao giấy tờ về quyền sử dụng đất|Bản vẽ thiết kế xây dựng|Báo cáo kết quả thẩm định thiết kế", 4),
    P("1.009972", "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng", "xaydung", "xaydung", 30, "d", "partial", True, "Theo biểu phí", "Tờ trình thẩm định|Báo cáo nghiên cứu khả thi|Hồ sơ khảo sát xây dựng", 2),
    P("1.009986", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, III", "xaydung", "xaydung", 20, "d", "full", True, "300.000 đồng", f"Đơn đề nghị cấp chứng chỉ|Ảnh màu 4x6|Bản sao văn bằng chuyên môn|{CCCD}", 6),
    P("1.009987", "Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, III", "xaydung", "xaydung", 20, "d", "full", True, "1.000.000 đồng", f"Đơn đề nghị cấp chứng chỉ năng lực|{GPKD}|Danh sách cá nhân chủ chốt", 3),
    # --- Sở Nông nghiệp và Môi trường: đất đai, môi trường, trồng trọt ---------------------------
    P("1.004227", "Giao đất, cho thuê đất cho tổ chức", "datdai", "nongnghiep", 20, "d", "partial", True, "", "Đơn xin giao đất, thuê đất|Bản sao giấy chứng nhận đầu tư|Trích lục bản đồ địa chính", 2),
    P("1.004203", "Chuyển mục đích sử dụng đất đối với tổ chức", "datdai", "nongnghiep", 20, "d", "partial", True, "", "Đơn xin chuyển mục đích sử dụng đất|Giấy chứng nhận quyền sử dụng đất|Trích lục bản đồ địa chính", 2),
    P("1.005398", "Cấp đổi Giấy chứng nhận quyền sử dụng đất cho tổ chức", "datdai", "nongnghiep", 7, "d", "partial", True, "Theo quy định của HĐND tỉnh", "Đơn đề nghị cấp đổi|Bản gốc Giấy chứng nhận đã cấp", 4),
    P("1.010727", "Cấp giấy phép môi trường cấp tỉnh", "moitruong", "nongnghiep", 30, "d", "partial", True, "Theo biểu phí", "Văn bản đề nghị cấp giấy phép môi trường|Báo cáo đề xuất cấp giấy phép môi trường|Bản sao báo cáo nghiên cứu khả thi", 3),
    P("1.010733", "Thẩm định báo cáo đánh giá tác động môi trường", "moitruong", "nongnghiep", 25, "d", "partial", True, "Theo biểu phí", "Văn bản đề nghị thẩm định|Báo cáo đánh giá tác động môi trường|Báo cáo nghiên cứu khả thi", 2),
    P("1.004345", "Cấp giấy phép khai thác, sử dụng nước mặt", "moitruong", "nongnghiep", 30, "d", "partial", True, "Theo biểu phí", "Đơn đề nghị cấp giấy phép|Đề án khai thác, sử dụng nước mặt|Kết quả phân tích chất lượng nguồn nước", 1),
    P("1.004509", "Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật", "trongtrot", "nongnghiep", 15, "d", "full", True, "500.000 đồng", f"{DON}|Bản thuyết minh điều kiện buôn bán|Bản sao chứng chỉ tập huấn", 4),
    P("1.008004", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản", "trongtrot", "nongnghiep", 15, "d", "full", True, "700.000 đồng", f"{DON}|Bản thuyết minh về cơ sở vật chất|Danh sách chủ cơ sở và người trực tiếp sản xuất", 5),
    # --- Sở Y tế -----------------------------------------------------------------------------------
    P("1.001907", "Cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất thực phẩm", "yte", "yte", 20, "d", "partial", True, "2.500.000 đồng", f"{DON}|{GPKD}|Bản thuyết minh về cơ sở vật chất|Giấy xác nhận đủ sức khỏe của chủ cơ sở", 8),
    P("1.002467", "Cấp giấy chứng nhận sức khỏe cho người lao động", "yte", "yte", 2, "d", "none", False, "Theo giá dịch vụ", f"Tờ khai sức khỏe|{CCCD}|Ảnh 4x6", 10),
    P("1.003001", "Công bố cơ sở đủ điều kiện tiêm chủng", "yte", "yte", None, "d", "full", False, "", "Văn bản công bố theo mẫu|Danh sách nhân sự của cơ sở", 2),
    P("1.004616", "Cấp Chứng chỉ hành nghề dược", "duoc", "yte", 20, "d", "partial", True, "500.000 đồng", f"{DON}|Ảnh chân dung 4x6|Bản sao văn bằng chuyên môn|Giấy xác nhận thời gian thực hành", 8),
    P("1.004604", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho nhà thuốc", "duoc", "yte", 20, "d", "partial", True, "1.000.000 đồng", f"{DON}|Tài liệu kỹ thuật về địa điểm, trang thiết bị|Bản sao chứng chỉ hành nghề dược", 8),
    P("1.003962", "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", "khambenh", "yte", 30, "d", "partial", True, "4.300.000 đồng", f"{DON}|Bản sao chứng chỉ hành nghề của người phụ trách chuyên môn|Danh sách nhân sự|Danh mục thiết bị y tế", 3),
    P("1.004028", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "khambenh", "yte", 20, "d", "partial", True, "360.000 đồng", f"{DON}|Bản sao văn bằng chuyên môn|Giấy chứng nhận đủ sức khỏe|Ảnh 4x6", 6),
    # --- Sở Giáo dục và Đào tạo -----------------------------------------------------------------------
    P("2.001914", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "giaoduc", "giaoduc", 2, "d", "full", True, "3.000 đồng/bản", f"Đơn đề nghị cấp bản sao|{CCCD}", 25),
    P("1.005092", "Chỉnh sửa nội dung văn bằng, chứng chỉ", "giaoduc", "giaoduc", 5, "d", "partial", True, "", f"Đơn đề nghị chỉnh sửa|Văn bằng, chứng chỉ đề nghị chỉnh sửa|{CCCD}", 5),
    P("1.001000", "Cấp phép hoạt động giáo dục kỹ năng sống và hoạt động giáo dục ngoài giờ chính khóa", "giaoduc", "giaoduc", 20, "d", "partial", True, "", "Tờ trình đề nghị cấp phép|Chương trình, tài liệu giảng dạy|Danh sách đội ngũ giáo viên", 2),
    P("1.005104", "Thành lập trung tâm ngoại ngữ, tin học", "giaoduc", "giaoduc", 20, "d", "partial", True, "", "Tờ trình đề nghị thành lập|Đề án thành lập trung tâm|Bản sao văn bằng của giám đốc trung tâm", 2),
    # --- Sở Nội vụ: việc làm, người có công ---------------------------------------------------------
    P("1.000105", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "laodong", "noivu", 5, "d", "full", True, "600.000 đồng", "Văn bản đề nghị cấp giấy phép lao động|Giấy chứng nhận sức khỏe|Phiếu lý lịch tư pháp|Văn bản chứng minh chuyên môn", 10),
    P("1.000459", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", "laodong", "noivu", 3, "d", "full", True, "", "Văn bản đề nghị xác nhận|Bản sao hộ chiếu|Giấy tờ chứng minh không thuộc diện cấp phép", 4),
    P("1.001881", "Đăng ký nội quy lao động của doanh nghiệp", "laodong", "noivu", 7, "d", "partial", False, "", "Văn bản đề nghị đăng ký nội quy lao động|Nội quy lao động|Văn bản góp ý của tổ chức đại diện người lao động", 3),
    P("1.002252", "Thông báo về việc tìm kiếm lao động trong nước cho vị trí công việc dự kiến tuyển người nước ngoài", "laodong", "noivu", None, "d", "full", False, "", "Thông báo tuyển dụng theo mẫu", 4),
    P("1.010801", "Giải quyết chế độ trợ cấp một lần đối với người có công", "nguoicocong", "noivu", 12, "d", "partial", True, "", "Bản khai theo mẫu|Bản sao giấy tờ chứng minh là người có công", 3),
    P("1.010813", "Cấp bổ sung hoặc cấp lại giấy chứng nhận người có công", "nguoicocong", "noivu", 10, "d", "partial", True, "", "Đơn đề nghị theo mẫu|Bản sao giấy chứng nhận đã cấp", 2),
    # --- Sở Văn hóa, Thể thao và Du lịch ------------------------------------------------------------
    P("1.001029", "Cấp giấy phép kinh doanh dịch vụ karaoke", "vanhoa", "vanhoa", 5, "d", "partial", True, "6.000.000 đồng", f"{DON}|{GPKD}|Bản sao giấy chứng nhận đủ điều kiện phòng cháy chữa cháy", 3),
    P("1.001024", "Thông báo tổ chức biểu diễn nghệ thuật", "vanhoa", "vanhoa", None, "d", "full", False, "", "Thông báo tổ chức biểu diễn theo mẫu|Danh mục tác phẩm biểu diễn", 5),
    P("1.004628", "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", "dulich", "vanhoa", 10, "d", "full", True, "3.000.000 đồng", f"{DON}|{GPKD}|Giấy chứng nhận ký quỹ|Bản sao quyết định bổ nhiệm người phụ trách", 2),
    P("1.001440", "Công nhận hạng cơ sở lưu trú du lịch 1 sao, 2 sao", "dulich", "vanhoa", 30, "d", "partial", True, "1.500.000 đồng", f"{DON}|Bản tự đánh giá chất lượng cơ sở lưu trú|Danh sách người quản lý và nhân viên", 2),
    P("1.003809", "Cấp thẻ hướng dẫn viên du lịch nội địa", "dulich", "vanhoa", 10, "d", "full", True, "650.000 đồng", f"{DON}|Sơ yếu lý lịch có xác nhận|Bản sao chứng chỉ nghiệp vụ hướng dẫn du lịch|Ảnh 3x4", 3),
    # --- Sở Khoa học và Công nghệ -------------------------------------------------------------------
    P("1.002260", "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ", "khoahoc", "khoahoc", 5, "d", "full", False, "", "Phiếu đăng ký kết quả|Báo cáo tổng hợp kết quả nhiệm vụ|Quyết định công nhận kết quả", 2),
    P("1.004440", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", "khoahoc", "khoahoc", 7, "d", "partial", True, "", f"Đơn đề nghị theo mẫu|{GPKD}|Phương án sản xuất, kinh doanh sản phẩm", 1),
    P("1.001577", "Cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán y tế)", "khoahoc", "khoahoc", 15, "d", "partial", True, "Theo biểu phí", "Đơn đề nghị cấp giấy phép|Bản sao quyết định thành lập cơ sở|Báo cáo đánh giá an toàn bức xạ|Bản sao chứng chỉ nhân viên bức xạ", 3),
    # --- Thanh tra tỉnh -------------------------------------------------------------------------------
    P("2.002323", "Giải quyết khiếu nại lần hai tại cấp tỉnh", "khieunai", "thanhtra", 30, "d", "none", True, "", "Đơn khiếu nại|Quyết định giải quyết khiếu nại lần đầu|Tài liệu, chứng cứ kèm theo", 2),
    P("2.002378", "Giải quyết tố cáo tại cấp tỉnh", "khieunai", "thanhtra", 30, "d", "none", True, "", "Đơn tố cáo|Tài liệu, chứng cứ kèm theo", 1),
]
# fmt: on
