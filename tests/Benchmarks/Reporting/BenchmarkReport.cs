using System.Text.Json;
using System.Text.Json.Nodes;

namespace Payments.Benchmarks.Reporting;

/// <summary>Collects result rows, prints them as a table and writes <c>{"results":[...]}</c> JSON.</summary>
internal sealed class BenchmarkReport
{
    private readonly List<JsonObject> _results = [];

    public void Add(JsonObject row)
    {
        _results.Add(row);
        Console.WriteLine(string.Join("  ", row.Select(field => $"{field.Key}={field.Value}")));
    }

    public void PrintTable()
    {
        if (_results.Count == 0)
        {
            return;
        }

        var columns = _results.SelectMany(row => row.Select(field => field.Key)).Distinct().ToList();
        var cells = _results.Select(row => columns.Select(column => row[column]?.ToString() ?? "").ToList()).ToList();
        var widths = columns.Select((column, i) => Math.Max(column.Length, cells.Max(row => row[i].Length))).ToList();
        Console.WriteLine();
        Console.WriteLine(string.Join(" | ", columns.Select((column, i) => column.PadRight(widths[i]))));
        Console.WriteLine(string.Join("-|-", widths.Select(width => new string('-', width))));
        foreach (var row in cells)
        {
            Console.WriteLine(string.Join(" | ", row.Select((cell, i) => cell.PadRight(widths[i]))));
        }
    }

    public async Task WriteAsync(string path)
    {
        var document = new JsonObject { ["results"] = new JsonArray(_results.Select(row => (JsonNode)row.DeepClone()).ToArray()) };
        await File.WriteAllTextAsync(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Wrote {path}");
    }
}
