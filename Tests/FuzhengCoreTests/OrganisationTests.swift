import FuzhengCore
import Testing

@Suite("Organisation codes and drafts")
struct OrganisationTests {
    @Test("unit codes are 6 digits starting with the department's code")
    func codes() {
        #expect(OrganisationCode.isUnitCode("434001", department: "434"))
        #expect(!OrganisationCode.isUnitCode("435001", department: "434"))
        #expect(!OrganisationCode.isUnitCode("43400", department: "434"))
        #expect(OrganisationCode.isRegionCode("130730"))
        #expect(!OrganisationCode.isRegionCode("13073"))
    }

    @Test("a unit draft names every wrong field")
    func unitDraft() {
        let good = UnitDraft(code: "434001", name: "怀来县人民政府办公室", departmentCode: "434", nature: "行政",
                             grade: "正科级", fundingForm: "财政拨款（行政）")
        #expect(good.validate().isEmpty)
        let bad = UnitDraft(code: "12", name: "", departmentCode: "434", nature: "?", grade: "?", fundingForm: "?")
        #expect(Set(bad.validate().keys) == ["code", "name", "nature", "grade", "fundingForm"])
    }

    @Test("a user draft checks username form, role and unit")
    func userDraft() {
        #expect(UserDraft(username: "Wang.Li", displayName: "王丽", role: "unit_finance", unitCode: "434001")
            .validate(knownUnits: ["434001"]).isEmpty)
        let errors = UserDraft(username: "王", displayName: "", role: "boss", unitCode: "999999").validate(knownUnits: ["434001"])
        #expect(Set(errors.keys) == ["username", "displayName", "role", "unitCode"])
    }
}
