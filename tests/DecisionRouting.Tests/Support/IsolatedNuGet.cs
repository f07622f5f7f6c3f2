using System;
using System.Diagnostics;
using System.IO;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// A NuGet global packages folder of a test's own, so the suite never writes into the user's NuGet cache: a package the
/// test packs (a DecisionRouting 0.1.0-e2e.…) lands here, not in <c>~/.nuget/packages</c>, where it would linger and
/// could shadow a later pack of the same version. The user's cache is still read, as a fallback folder, so restores
/// stay fast and work offline: what is there is used in place, and only what is missing is copied here.
/// </summary>
public sealed class IsolatedNuGet : IDisposable
{
    /// <summary>A new, empty packages folder under the temp folder.</summary>
    public IsolatedNuGet() => Folder = Directory.CreateTempSubdirectory("dr-nuget-").FullName;

    /// <summary>The packages folder restores in this test write to.</summary>
    public string Folder { get; }

    /// <summary>The user's NuGet cache, read but never written: <c>NUGET_PACKAGES</c> when set, else <c>~/.nuget/packages</c>.</summary>
    public static string UserPackages { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
        ? set
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Points a <c>dotnet</c> process's restores at <see cref="Folder"/>, with the user's cache as a fallback folder.</summary>
    public void Apply(ProcessStartInfo start)
    {
        start.Environment["NUGET_PACKAGES"] = Folder;

        // MSBuild reads environment variables as properties; NuGet's restore adds these folders to the project's own
        // fallback folders (RestoreFallbackFolders would replace them).
        start.Environment["RestoreAdditionalProjectFallbackFolders"] = UserPackages;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A build node may still hold a file; the temp folder is cleaned by the OS.
        }
    }
}
