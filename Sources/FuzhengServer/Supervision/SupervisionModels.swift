import Fluent
import Foundation
import FuzhengCore
import SQLKit
import Vapor

/// One 督办 item (督办单), or a sub-task of one (`parent_id`). Days are ISO strings so lists, reminders and statistics
/// compare them in SQL on both databases. `due_on` is the deadline the unit works to (an approved extension's);
/// `stat_due_on` the deadline in force for the rates (Core's `SupervisedItem.deadlineInForce`).
final class SupervisionItemModel: Model, @unchecked Sendable {
    static let schema = "supervision_items"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "has_children") var hasChildren: Bool
    @Field(key: "year") var year: Int
    @Field(key: "seq") var seq: Int
    @Field(key: "number_text") var numberText: String
    @Field(key: "title") var title: String
    @Field(key: "source") var source: String
    @Field(key: "source_text") var sourceText: String
    @OptionalField(key: "source_document_id") var sourceDocumentID: UUID?
    @OptionalField(key: "source_incoming_id") var sourceIncomingID: UUID?
    @Field(key: "requirement") var requirement: String
    @Field(key: "lead_unit") var leadUnit: String
    /// ",a,b," so a unit is found with one LIKE.
    @Field(key: "assisting") var assisting: String
    @Field(key: "responsible") var responsible: String
    /// The leader responsible (the one who gave the 批示, or the 分管 leader): escalation goes to them.
    @OptionalField(key: "leader") var leader: String?
    @Field(key: "kind") var kind: String
    @Field(key: "cycle") var cycle: String
    @Field(key: "cycle_day") var cycleDay: Int
    @OptionalField(key: "report_on") var reportOn: String?
    @Field(key: "start_on") var startOn: String
    @Field(key: "deadline") var deadline: String
    @OptionalField(key: "extended_to") var extendedTo: String?
    @OptionalField(key: "extension_approved_on") var extensionApprovedOn: String?
    @Field(key: "due_on") var dueOn: String
    @Field(key: "stat_due_on") var statDueOn: String
    @Field(key: "state") var state: String
    @Field(key: "assigned_on") var assignedOn: String
    @Field(key: "progress") var progress: Int
    @OptionalField(key: "last_report_on") var lastReportOn: String?
    @OptionalField(key: "closed_on") var closedOn: String?
    @Field(key: "result") var result: String
    @Field(key: "proposer") var proposer: String
    @OptionalField(key: "reply_document_id") var replyDocumentID: UUID?
    @OptionalField(key: "replied_on") var repliedOn: String?
    @OptionalField(key: "satisfaction") var satisfaction: String?
    @OptionalField(key: "archive_item_id") var archiveItemID: UUID?
    /// The 督查室's unit: its inspectors hear of reports and requests.
    @Field(key: "office_unit") var officeUnit: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_by_name") var createdByName: String
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var stateValue: SupervisionState { SupervisionState(rawValue: state) ?? .handling }
    var sourceValue: SupervisionSource { SupervisionSource(rawValue: source) ?? .meeting }
    var kindValue: SupervisionKind { SupervisionKind(rawValue: kind) ?? .general }
    var assistingList: [String] { assisting.split(separator: ",").map(String.init) }
    var deadlineDay: CivilDay { CivilDay(deadline) ?? CivilDay(year: year, month: 12, day: 31) }
    var dueDay: CivilDay { CivilDay(dueOn) ?? deadlineDay }
    var startDay: CivilDay { CivilDay(startOn) ?? deadlineDay }

    var cycleValue: ReportCycle {
        switch cycle {
        case "weekly": .weekly(weekday: min(max(cycleDay, 1), 5))
        case "once": .once(reportOn.flatMap(CivilDay.init) ?? dueDay)
        default: .monthly(day: min(max(cycleDay, 1), 28))
        }
    }

    func set(cycle c: ReportCycle) {
        cycle = c.kind
        switch c {
        case .weekly(let d): cycleDay = d; reportOn = nil
        case .monthly(let d): cycleDay = d; reportOn = nil
        case .once(let day): cycleDay = 0; reportOn = day.description
        }
    }

    /// Core's view for the rates.
    var supervised: SupervisedItem {
        SupervisedItem(id: id?.uuidString ?? "", unit: leadUnit, deadline: deadlineDay,
                       extendedTo: extendedTo.flatMap(CivilDay.init),
                       extensionApprovedOn: extensionApprovedOn.flatMap(CivilDay.init),
                       closedOn: closedOn.flatMap(CivilDay.init), source: sourceValue,
                       repliedOn: repliedOn.flatMap(CivilDay.init),
                       satisfaction: satisfaction.flatMap(Satisfaction.init))
    }

    /// Recomputes the two derived deadlines after a change of the deadline or an extension.
    func refreshDeadlines() {
        dueOn = extendedTo ?? deadline
        statDueOn = supervised.deadlineInForce.description
    }
}

/// Every act on an item, in order: 立项, 交办, 签收, 反馈 (with its status: pending, accepted, returned), 催办, 延期
/// (pending, approved, refused), 销号, reopening, 答复, 满意度.
final class SupervisionEventModel: Model, @unchecked Sendable {
    static let schema = "supervision_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "item_id") var item: SupervisionItemModel
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "text") var text: String
    @OptionalField(key: "percent") var percent: Int?
    @OptionalField(key: "status") var status: String?
    @OptionalField(key: "day") var day: String?
    @Field(key: "answer") var answer: String
    init() {}

    @discardableResult
    static func record(_ item: UUID, _ action: String, user: (username: String, name: String, unit: String),
                       text: String, percent: Int? = nil, status: String? = nil, day: String? = nil, at: Date,
                       on tx: Database) async throws -> SupervisionEventModel {
        let e = SupervisionEventModel()
        e.$item.id = item
        e.at = at
        e.action = action
        e.username = user.username
        e.displayName = user.name
        e.unitCode = user.unit
        e.text = text
        e.percent = percent
        e.status = status
        e.day = day
        e.answer = ""
        try await e.create(on: tx)
        return e
    }
}

/// A file with a report or the result: photos from a phone, scans, documents; bytes in the file store.
final class SupervisionFileModel: Model, @unchecked Sendable {
    static let schema = "supervision_files"
    @ID(key: .id) var id: UUID?
    @Parent(key: "item_id") var item: SupervisionItemModel
    @Parent(key: "event_id") var event: SupervisionEventModel
    @Field(key: "digest") var digest: String
    @Field(key: "name") var name: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    init() {}
}

struct M028CreateSupervision: AsyncMigration {
    var name: String { "M028CreateSupervision" }

    func prepare(on database: Database) async throws {
        try await database.schema(SupervisionItemModel.schema)
            .id()
            .field("parent_id", .uuid)
            .field("has_children", .bool, .required)
            .field("year", .int, .required)
            .field("seq", .int, .required)
            .field("number_text", .string, .required)
            .field("title", .string, .required)
            .field("source", .string, .required)
            .field("source_text", .string, .required)
            .field("source_document_id", .uuid)
            .field("source_incoming_id", .uuid)
            .field("requirement", .string, .required)
            .field("lead_unit", .string, .required)
            .field("assisting", .string, .required)
            .field("responsible", .string, .required)
            .field("leader", .string)
            .field("kind", .string, .required)
            .field("cycle", .string, .required)
            .field("cycle_day", .int, .required)
            .field("report_on", .string)
            .field("start_on", .string, .required)
            .field("deadline", .string, .required)
            .field("extended_to", .string)
            .field("extension_approved_on", .string)
            .field("due_on", .string, .required)
            .field("stat_due_on", .string, .required)
            .field("state", .string, .required)
            .field("assigned_on", .string, .required)
            .field("progress", .int, .required)
            .field("last_report_on", .string)
            .field("closed_on", .string)
            .field("result", .string, .required)
            .field("proposer", .string, .required)
            .field("reply_document_id", .uuid)
            .field("replied_on", .string)
            .field("satisfaction", .string)
            .field("archive_item_id", .uuid)
            .field("office_unit", .string, .required)
            .field("created_by", .string, .required)
            .field("created_by_name", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "year", "seq")
            .create()
        try await database.schema(SupervisionEventModel.schema)
            .id()
            .field("item_id", .uuid, .required, .references(SupervisionItemModel.schema, .id))
            .field("at", .datetime, .required)
            .field("action", .string, .required)
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("unit_code", .string, .required)
            .field("text", .string, .required)
            .field("percent", .int)
            .field("status", .string)
            .field("day", .string)
            .field("answer", .string, .required)
            .create()
        try await database.schema(SupervisionFileModel.schema)
            .id()
            .field("item_id", .uuid, .required, .references(SupervisionItemModel.schema, .id))
            .field("event_id", .uuid, .required, .references(SupervisionEventModel.schema, .id))
            .field("digest", .string, .required)
            .field("name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .create()
        guard let sql = database as? SQLDatabase else { return }
        // Statistics read one period's items by the deadline in force; lists and the reminder job by state and due
        // day; a unit's list by its code.
        try await sql.raw("CREATE INDEX supervision_stat_due ON supervision_items (stat_due_on)").run()
        try await sql.raw("CREATE INDEX supervision_state_due ON supervision_items (state, due_on)").run()
        try await sql.raw("CREATE INDEX supervision_lead ON supervision_items (lead_unit, state)").run()
        try await sql.raw("CREATE INDEX supervision_parent ON supervision_items (parent_id)").run()
        try await sql.raw("CREATE INDEX supervision_events_item ON supervision_events (item_id, at)").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(SupervisionFileModel.schema).delete()
        try await database.schema(SupervisionEventModel.schema).delete()
        try await database.schema(SupervisionItemModel.schema).delete()
    }
}

/// The units of an item — its lead and assisting units —, one row each: who reaches an item is found through the
/// (unit_code, item_id) index, not by a LIKE over every item (25 LIKEs over 20,000 items cost 28 ms on SQLite).
/// Each row also says whether its item is open (`is_open`), kept in step by a trigger on the item's state (M038), so
/// a reach's open items are read from (unit_code, is_open, item_id) alone: a 分管 leader's 106 units reach 8,000
/// items of every year but 1,300 open ones (benchmark of issue 18).
enum SupervisionUnits {
    static let schema = "supervision_units"

    /// An item's rows: the lead unit first, then the assisting units, each once.
    static func rows(_ m: SupervisionItemModel) -> [(code: String, lead: Bool)] {
        var seen = Set<String>()
        return ([(m.leadUnit, true)] + m.assistingList.map { ($0, false) }).filter { seen.insert($0.0).inserted }
    }

    static func write(_ m: SupervisionItemModel, on tx: Database) async throws {
        guard let sql = tx as? SQLDatabase else { return }
        try await sql.delete(from: schema).where("item_id", .equal, try m.requireID()).run()
        try await insert([m], on: sql)
    }

    /// The rows of new items, in one statement.
    static func insert(_ models: some Collection<SupervisionItemModel>, on sql: SQLDatabase) async throws {
        var insert = sql.insert(into: schema).columns("item_id", "unit_code", "is_lead", "is_open")
        var any = false
        for m in models {
            let id = try m.requireID(), open = m.state != SupervisionState.closed.rawValue
            for (code, lead) in rows(m) {
                insert = insert.values(SQLBind(id), SQLBind(code), SQLBind(lead), SQLBind(open))
                any = true
            }
        }
        if any { try await insert.run() }
    }
}

struct M029SupervisionUnits: AsyncMigration {
    var name: String { "M029SupervisionUnits" }

    func prepare(on database: Database) async throws {
        try await database.schema(SupervisionUnits.schema)
            .field("item_id", .uuid, .required, .references(SupervisionItemModel.schema, .id))
            .field("unit_code", .string, .required)
            .field("is_lead", .bool, .required)
            .unique(on: "unit_code", "item_id")
            .create()
        guard let sql = database as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX supervision_units_item ON supervision_units (item_id)").run()
        try await sql.raw("CREATE INDEX supervision_leader ON supervision_items (leader)").run()
        // The columns of this migration only: `is_open` comes with M038, which fills it.
        for m in try await SupervisionItemModel.query(on: database).all() {
            var insert = sql.insert(into: SupervisionUnits.schema).columns("item_id", "unit_code", "is_lead")
            for (code, lead) in SupervisionUnits.rows(m) {
                insert = insert.values(SQLBind(try m.requireID()), SQLBind(code), SQLBind(lead))
            }
            try await insert.run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(SupervisionUnits.schema).delete()
    }
}

/// Indexes the issue 18 benchmark asked for: the open count by (state, has_children) and the county-wide list's
/// order by (state, due_on, number_text).
struct M033SupervisionListIndexes: AsyncMigration {
    var name: String { "M033SupervisionListIndexes" }

    func prepare(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX supervision_state_leaf ON supervision_items (state, has_children)").run()
        try await sql.raw("CREATE INDEX supervision_state_due_number ON supervision_items (state, due_on, number_text)")
            .run()
    }

    func revert(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.raw("DROP INDEX supervision_state_leaf").run()
        try await sql.raw("DROP INDEX supervision_state_due_number").run()
    }
}

/// Whether each of an item's unit rows is open, kept in step with the item's state by a trigger, so no step of the
/// workflow (there are a dozen that save an item) can forget it. The open lists of a restricted reach read it.
/// On PostgreSQL also the open items in due order (a partial index).
struct M038SupervisionOpenReach: AsyncMigration {
    var name: String { "M038SupervisionOpenReach" }

    func prepare(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        let closed = SupervisionState.closed.rawValue
        try await sql.raw("ALTER TABLE supervision_units ADD COLUMN is_open BOOLEAN NOT NULL DEFAULT FALSE").run()
        try await sql.raw("""
            UPDATE supervision_units SET is_open = (SELECT i.state <> \(bind: closed) FROM supervision_items i \
            WHERE i.id = supervision_units.item_id)
            """).run()
        try await sql.raw("CREATE INDEX supervision_units_open ON supervision_units (unit_code, is_open, item_id)")
            .run()
        let body = "UPDATE supervision_units SET is_open = (NEW.state <> '\(closed)') WHERE item_id = NEW.id;"
        if sql.dialect.name == "postgresql" {
            // The open list in due order, read in order: PostgreSQL otherwise fetched all 3,281 open items of the
            // county and sorted them for a page of 50 (10.6 ms → 0.15 ms). SQLite's planner keeps the (state)
            // index and sorts, in 1–3 ms, so it is not given one.
            let open = SupervisionQueries.openStates.map { "'\($0)'" }.joined(separator: ", ")
            try await sql.raw(SQLQueryString("""
                CREATE INDEX supervision_open_due ON supervision_items (due_on, number_text) \
                WHERE state IN (\(unsafeRaw: open))
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION supervision_units_open() RETURNS trigger LANGUAGE plpgsql AS $$ \
                BEGIN \(unsafeRaw: body) RETURN NULL; END $$
                """)).run()
            try await sql.raw("""
                CREATE TRIGGER supervision_units_open AFTER UPDATE OF state ON supervision_items \
                FOR EACH ROW EXECUTE FUNCTION supervision_units_open()
                """).run()
        } else {
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER supervision_units_open AFTER UPDATE OF state ON supervision_items \
                BEGIN \(unsafeRaw: body) END
                """)).run()
        }
    }

    func revert(on database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        try await sql.raw("DROP TRIGGER supervision_units_open" + (sql.dialect.name == "postgresql"
            ? " ON supervision_items" : "")).run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP FUNCTION supervision_units_open()").run()
            try await sql.raw("DROP INDEX supervision_open_due").run()
        }
        try await sql.raw("DROP INDEX supervision_units_open").run()
        try await sql.raw("ALTER TABLE supervision_units DROP COLUMN is_open").run()
    }
}
