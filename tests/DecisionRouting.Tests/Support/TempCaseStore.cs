using System;
using System.IO;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// A test's own folder with a SQLite case store file in it (<see cref="Db"/>, created by the first write). Disposing
/// closes SQLite's pooled connections first, so the file can go, then removes the folder.
/// </summary>
public sealed class TempCaseStore : IDisposable
{
    /// <summary>A new folder under the temp folder, its name starting with <paramref name="prefix"/>.</summary>
    public TempCaseStore(string prefix)
    {
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
        Db = Path.Combine(Folder, "cases.db");
    }

    /// <summary>The folder, for other files the test writes.</summary>
    public string Folder { get; }

    /// <summary>The SQLite store file (<c>cases.db</c> in <see cref="Folder"/>).</summary>
    public string Db { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
