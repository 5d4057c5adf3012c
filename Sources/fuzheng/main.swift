import Foundation
import FuzhengServer
import Logging
import Vapor

var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)

let config: AppConfig
let clock: AppClock
do {
    config = try AppConfig.fromEnvironment()
    clock = try AppClock.fromEnvironment()
    // A SQLite restore puts the database file in place before anything opens it.
    _ = try Restore.placeSQLite(arguments: Array(CommandLine.arguments.dropFirst()), config: config)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

let app = try await Application.make(env)
do {
    try await configure(app, config: config, clock: clock)
    try await app.execute()
    try await app.asyncShutdown()
} catch let exit as CommandExit {
    if !exit.message.isEmpty { FileHandle.standardError.write(Data("\(exit.message)\n".utf8)) }
    try? await app.asyncShutdown()
    Foundation.exit(exit.status)
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    Foundation.exit(1)
}
