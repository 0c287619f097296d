extension String {
    /// sd_notify separates assignments with newlines: a value must stay on one line.
    func replacingLineBreaks(with replacement: String = " ") -> String {
        guard contains(where: \.isNewline) else { return self }
        return split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: replacement)
    }
}
