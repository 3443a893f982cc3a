using System.Diagnostics.CodeAnalysis;

// "Shared" is a Visual Basic keyword, but the namespace follows the fixed src/Shared layout
// (ARCHITECTURE.md §2) and no VB consumer exists.
[assembly: SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Scope = "namespace",
    Target = "~N:LxAnnotate.Shared.Tests.Configuration",
    Justification = "Namespace follows the fixed project layout; test namespace mirrors it.")]
