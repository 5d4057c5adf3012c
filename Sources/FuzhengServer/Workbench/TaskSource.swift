import Fluent
import Foundation
import FuzhengCore
import NIOConcurrencyHelpers
import Vapor

/// One piece of waiting work on the 工作台, as a module words it.
struct WorkItem: Sendable, Equatable {
    var title: String
    /// A short state line ("草稿", "待审核 · 2 天前提交").
    var detail: String
    var link: String
    /// Calendar days to its deadline (negative: overdue); nil without a deadline.
    var daysLeft: Int?
    var urgency: Urgency

    init(title: String, detail: String, link: String, daysLeft: Int? = nil) {
        self.title = title
        self.detail = detail
        self.link = link
        self.daysLeft = daysLeft
        self.urgency = Urgency.of(daysLeft: daysLeft)
    }
}

/// What a source needs to list its items: no request, so a source is tested with a database alone.
struct TaskContext: Sendable {
    var db: any Database
    var l: L10n
    var now: Date
    /// The working calendar in force, for deadlines counted in working days.
    var calendar: WorkingCalendar = .shared
}

/// A module's contribution to the 工作台. A module registers its sources at start-up
/// (`app.fuzheng.taskSources.register`); the home page lists whatever is registered, so a new module adds
/// its work without touching the page.
protocol TaskSource: Sendable {
    /// Stable, for anchors and tests.
    var id: String { get }
    var titleKey: String { get }
    /// Whether the user has this kind of work at all (roles, permissions); only those are queried.
    func applies(to user: CurrentUser) -> Bool
    func items(for user: CurrentUser, in context: TaskContext) async throws -> [WorkItem]
    /// Lower comes first whatever the colours: what a leader on a phone must see at once (待批办, 待阅).
    var priority: Int { get }
}

extension TaskSource {
    var priority: Int { 0 }
}

final class TaskSourceRegistry: Sendable {
    private let sources = NIOLockedValueBox<[any TaskSource]>([])

    func register(_ source: any TaskSource) {
        sources.withLockedValue { list in
            list.removeAll { $0.id == source.id }
            list.append(source)
        }
    }

    var all: [any TaskSource] { sources.withLockedValue { $0 } }

    /// The user's sources with their items, each list most urgent first, the lists ordered by their most urgent
    /// item.
    func collect(for user: CurrentUser, in context: TaskContext) async throws -> [CollectedSource] {
        try await UnitsMemo.$current.withValue(UnitsMemo()) {
            try await collectNow(for: user, in: context)
        }
    }

    private func collectNow(for user: CurrentUser, in context: TaskContext) async throws -> [CollectedSource] {
        var collected: [CollectedSource] = []
        for source in all where source.applies(to: user) {
            let items = WorkOrdering.sorted(try await source.items(for: user, in: context), urgency: \.urgency,
                                            daysLeft: \.daysLeft, title: \.title)
            collected.append(CollectedSource(id: source.id, titleKey: source.titleKey, items: items,
                                             priority: source.priority))
        }
        return collected.enumerated().sorted { a, b in
            let (pa, pb) = (a.element.items.isEmpty ? 0 : a.element.priority, b.element.items.isEmpty ? 0
                            : b.element.priority)
            if pa != pb { return pa < pb }
            let ua = a.element.items.first?.urgency ?? .onTrack
            let ub = b.element.items.first?.urgency ?? .onTrack
            return ua != ub ? ua < ub : a.offset < b.offset
        }.map(\.element)
    }
}

struct CollectedSource: Sendable {
    var id: String
    var titleKey: String
    var items: [WorkItem]
    var priority = 0
}

/// Calendar days as an office counts them (China Standard Time), from `start` to `end`.
func calendarDays(from start: Date, to end: Date) -> Int {
    DueRow.calendarDays(from: start, to: end)
}
