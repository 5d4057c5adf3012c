import Fluent
import Vapor

/// Numbered migrations, registered in order. A shipped migration is never edited: add the next one.
enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(M001CreateOrganisation())
        app.migrations.add(M002CreateUsers())
        app.migrations.add(M003CreateAuditRecords())
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(M004CreateBudgets())
        app.migrations.add(M005CreateDisclosureVersions())
        app.migrations.add(M006CreateWorkflowTables())
        app.migrations.add(M007CreateTwoFactor())
        app.migrations.add(M008CreateStoredFiles())
        app.migrations.add(M009CreateOperations())
        app.migrations.add(M010CreateBudgetSubmissions())
        app.migrations.add(M011NotificationMessages())
        app.migrations.add(M012CreateBodies())
        app.migrations.add(M013PeopleRolesAndDelegation())
        app.migrations.add(M014CreateDocuments())
        app.migrations.add(M015CreateSecretPapers())
        app.migrations.add(M016CreateSearchTerms())
        app.migrations.add(M017CreateDeliveries())
        app.migrations.add(M018CreateSeals())
        app.migrations.add(M019SearchOrderAndAccess())
        app.migrations.add(M020CreateIncoming())
        app.migrations.add(M021CreateOutbox())
        app.migrations.add(M022CreateHolidayNotices())
        app.migrations.add(M023CreateArchive())
        app.migrations.add(M024IndexIncoming())
        app.migrations.add(M025WaitingIndexes())
        app.migrations.add(M026SealedPackages())
        app.migrations.add(M027IncomingWorkIndexes())
        app.migrations.add(M028CreateSupervision())
        app.migrations.add(M029SupervisionUnits())
        app.migrations.add(M030CreateExecution())
        app.migrations.add(M031CreateSurveys())
        app.migrations.add(M032SurveyTokens())
        app.migrations.add(M033SupervisionListIndexes())
        app.migrations.add(M034CreateMonitoring())
        app.migrations.add(M035CacheGenerations())
        app.migrations.add(M036CreateEvaluations())
        app.migrations.add(M037CreateFinalAccounts())
        app.migrations.add(M038SupervisionOpenReach())
        app.migrations.add(M039FinalPublishedSources())
    }
}

struct M001CreateOrganisation: AsyncMigration {
    var name: String { "M001CreateOrganisation" }

    func prepare(on database: Database) async throws {
        try await database.schema(RegionModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .unique(on: "code")
            .create()
        try await database.schema(DepartmentModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("region_id", .uuid, .required, .references(RegionModel.schema, .id))
            .unique(on: "code")
            .create()
        try await database.schema(UnitModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("department_id", .uuid, .required, .references(DepartmentModel.schema, .id))
            .field("nature", .string, .required)
            .field("grade", .string, .required)
            .field("funding_form", .string, .required)
            .field("duties", .string, .required)
            .field("setup", .string, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(UnitModel.schema).delete()
        try await database.schema(DepartmentModel.schema).delete()
        try await database.schema(RegionModel.schema).delete()
    }
}

struct M002CreateUsers: AsyncMigration {
    var name: String { "M002CreateUsers" }

    func prepare(on database: Database) async throws {
        try await database.schema(UserModel.schema)
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id))
            .field("is_active", .bool, .required)
            .field("must_change_password", .bool, .required)
            .field("password_changed_at", .datetime)
            .field("failed_attempts", .int, .required)
            .field("locked_until", .datetime)
            .field("last_login_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(UserModel.schema).delete()
    }
}

struct M003CreateAuditRecords: AsyncMigration {
    var name: String { "M003CreateAuditRecords" }

    func prepare(on database: Database) async throws {
        try await database.schema(AuditRecordModel.schema)
            .field("seq", .int64, .identifier(auto: false))
            .field("occurred_at_ms", .int64, .required)
            .field("user_id", .string)
            .field("username", .string)
            .field("unit_code", .string)
            .field("client_ip", .string)
            .field("action", .string, .required)
            .field("object_type", .string)
            .field("object_id", .string)
            .field("summary", .string)
            .field("result", .string, .required)
            .field("request_id", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditRecordModel.schema).delete()
    }
}
