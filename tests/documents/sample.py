"""A party document with every feature the renderers draw, built without the database."""

from datetime import date

from documents.content import (
    DATE,
    PERCENT,
    ROLLUP,
    TEXT,
    TOTAL,
    Chart,
    Column,
    Heading,
    PartyDocument,
    Row,
    Signature,
    Table,
)

UNITS = [
    "Trường THPT Hiệp Hòa số 1",
    "Trường THPT Hiệp Hòa số 2",
    "Đảng ủy thị trấn Thắng",
    "Công ty Cổ phần may xuất khẩu Hà Phong",
    '=HYPERLINK("http://x")',
]


def sample_document(rows: int = 5, *, heading: bool = True) -> PartyDocument:
    """``rows`` unit rows (cycling through ``UNITS``), a roll-up, a total and a chart."""
    columns = [
        Column("STT", width=5),
        Column("Đơn vị", kind=TEXT, width=40),
        Column("Chỉ tiêu", group="Kết nạp năm 2024"),
        Column("Thực hiện", group="Kết nạp năm 2024"),
        Column("% kế hoạch", kind=PERCENT, group="Kết nạp năm 2024"),
        Column("Năm 2023"),
        Column("Ngày báo cáo", kind=DATE, width=12),
    ]
    body = []
    for i in range(rows):
        style = ROLLUP if i == 2 else ""
        body.append(
            Row(
                [
                    i + 1,
                    UNITS[i % len(UNITS)],
                    10 + i,
                    7 + i,
                    70.0 + i,
                    1234 + i,
                    date(2024, 12, 31),
                ],
                depth=1 if i == 3 else 0,
                style=style,
            )
        )
    total_quota = sum(10 + i for i in range(rows))
    total_done = sum(7 + i for i in range(rows))
    body.append(
        Row(
            [
                "",
                "Tổng cộng",
                total_quota,
                total_done,
                round(100 * total_done / total_quota, 1),
                None,
                None,
            ],
            style=TOTAL,
        )
    )
    return PartyDocument(
        doc_type="BÁO CÁO",
        subject="Kết quả công tác phát triển đảng viên năm 2024",
        heading=Heading(
            superior="ĐẢNG BỘ TỈNH BẮC GIANG",
            issuer="HUYỆN ỦY HIỆP HÒA",
            number="Số 12-BC/HU",
            place_date="Hiệp Hòa, ngày 20 tháng 12 năm 2024",
        )
        if heading
        else None,
        subtitle="Số liệu tính đến ngày 31/12/2024",
        paragraphs=[
            "Năm 2024, toàn Đảng bộ kết nạp 49 đảng viên, đạt 70% chỉ tiêu; trong đó 41 học sinh.",
            "Các đơn vị chưa đạt chỉ tiêu: Trường THPT Hiệp Hòa số 2 (thiếu 3).",
        ],
        tables=[
            Table(
                "Biểu 1. Kết quả thực hiện chỉ tiêu kết nạp đảng viên",
                columns,
                body,
                note="Kết nạp: quyết định kết nạp ký trong năm.",
            )
        ],
        chart=Chart(
            "Chỉ tiêu và kết quả kết nạp theo đơn vị",
            labels=["THPT số 1", "THPT số 2", "Hà Phong"],
            series=[("Chỉ tiêu", [10, 11, 13]), ("Kết nạp", [7, 8, 10])],
        ),
        recipients=["Ban Tổ chức Tỉnh ủy (b/c),", "Các chi, đảng bộ trực thuộc,", "Lưu VP."],
        signature=Signature(mandate="T/M BAN THƯỜNG VỤ", title="PHÓ BÍ THƯ", name="Nguyễn Văn A"),
        landscape=True,
        file_stem="Báo cáo tổng kết 2024",
        as_of=date(2024, 12, 31),
    )
