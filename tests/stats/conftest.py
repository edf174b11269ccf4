import pytest

from tests.stats.helpers import Spec, agency, at, build, procedure, rate


@pytest.fixture
def province():
    """The tiny province of the contract checker, March 2025, built with the ORM."""
    root = agency("000.00.00.H98", name="Tỉnh Mẫu")
    one = agency("000.00.01.H98", parent=root, name="Sở Mẫu Một")
    two = agency("000.00.02.H98", parent=root, name="Sở Mẫu Hai")
    p1 = procedure(code="8.000001", postal_reception=True, online_class="full")
    p2 = procedure(code="8.000002", online_class="partial")
    p3 = procedure(code="8.000003", one_way=True, processing_time=None)
    p1.assignments.create(agency=one)
    p2.assignments.create(agency=two)
    build(
        [
            Spec(one, p1, at(2025, 2, 20, 9), at(2025, 2, 27, 17), "resolved", at(2025, 2, 26, 10)),
            Spec(
                one,
                p1,
                at(2025, 2, 25, 9),
                at(2025, 3, 4, 17),
                "resolved",
                at(2025, 3, 3, 10),
                delivered_at=at(2025, 3, 4, 9),
                delivery_channel="counter",
            ),
            Spec(
                one,
                p1,
                at(2025, 3, 3, 9),
                at(2025, 3, 10, 17),
                "resolved",
                at(2025, 3, 10, 15),
                channel="online",
                online_class="full",
                delivered_at=at(2025, 3, 12, 9),
                delivery_channel="postal",
            ),
            Spec(
                one,
                p1,
                at(2025, 3, 4, 9),
                at(2025, 3, 11, 17),
                "resolved",
                at(2025, 3, 13, 10),
                channel="postal",
                code="000.00.01.H98-250304-0001",
                apology=(at(2025, 3, 10, 9), at(2025, 3, 13, 17)),
            ),
            Spec(
                one, p1, at(2025, 3, 20, 9), at(2025, 3, 27, 17), code="000.00.01.H98-250320-0001"
            ),
            Spec(
                two,
                p2,
                at(2025, 3, 5, 9),
                at(2025, 3, 19, 17),
                "refused",
                at(2025, 3, 6, 10),
                channel="online",
                online_class="partial",
            ),
            Spec(two, p2, at(2025, 3, 6, 9), at(2025, 3, 20, 17), "withdrawn", at(2025, 3, 7, 10)),
            Spec(two, p2, at(2025, 3, 25, 9), at(2025, 4, 8, 17)),
            Spec(two, p2, at(2025, 4, 1, 9), at(2025, 4, 15, 17)),
            Spec(
                two,
                p3,
                at(2025, 3, 10, 9),
                None,
                "filed",
                at(2025, 3, 10, 9, 5),
                channel="online",
                online_class="full",
                one_way=True,
            ),
        ]
    )
    rate(one, "very_satisfied", at(2025, 3, 12, 10), 2)
    rate(two, "dissatisfied", at(2025, 3, 12, 10))
    return root, one, two
