"""The Decision 766/QĐ-TTg service-quality index (100 points) computed from the system's own
records: the criteria table as data (``criteria``), their measures (``measures``), the scoring
of a unit, its children and its monthly trend (``scoring``), documents (``documents``)."""
