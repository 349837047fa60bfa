from coso.reviews.manifestations import Manifestation, ManifestationGroup, by_group, group_of


def test_there_are_twenty_seven_codes_nine_a_group():
    groups = by_group()
    assert list(groups) == [ManifestationGroup.A, ManifestationGroup.B, ManifestationGroup.C]
    assert [len(items) for items in groups.values()] == [9, 9, 9]
    assert len(Manifestation) == 27
    assert [item.value for item in groups[ManifestationGroup.B]] == [f"B{n}" for n in range(1, 10)]


def test_a_code_knows_its_group():
    assert group_of("C4") == ManifestationGroup.C
    assert group_of(Manifestation.A9) == ManifestationGroup.A
