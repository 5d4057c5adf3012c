public enum FuzhengVersion { public static let string = "0.1.0" }
