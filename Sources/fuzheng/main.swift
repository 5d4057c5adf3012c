import Foundation
import FuzhengServer
import Logging
import Vapor

var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)

let config: AppConfig
do {
    config = try AppConfig.fromEnvironment()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

let app = try await Application.make(env)
do {
    try await configure(app, config: config)
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
