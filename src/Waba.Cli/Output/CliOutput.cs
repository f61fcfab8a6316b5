using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Waba.Cli.Output;

/// <summary>Tables for people, JSON for scripts (<c>--json</c>); errors to stderr.</summary>
internal sealed class CliOutput(bool json)
{
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
        // Piped output keeps whole lines: a table is not wrapped at a guessed 80 columns.
        Interactive = Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
    });

    public bool Json { get; } = json;

    public IAnsiConsole Console_ => _console;

    public void Write<T>(T value, JsonTypeInfo<T> type, Func<T, IRenderable> table)
    {
        if (Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(value, type));
            return;
        }
        if (Console.IsOutputRedirected)
        {
            _console.Profile.Width = 200;
        }
        var rendered = table(value);
        _console.Write(rendered);
        // A table ends its own last line; a sentence does not.
        if (rendered is Markup or Text or Paragraph)
        {
            _console.WriteLine();
        }
    }

    public void Line(string markup) => _console.MarkupLine(markup);

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }
        return table;
    }

    public static Grid Fields(params (string Name, string? Value)[] fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(new Markup($"[grey]{Markup.Escape(name)}[/]"), new Text(value ?? "—"));
        }
        return grid;
    }

    public static void Error(string message) => Console.Error.WriteLine(message);
}
