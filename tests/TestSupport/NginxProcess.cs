using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LxAnnotate.TestSupport;

/// <summary>
/// Debian's <c>/usr/sbin/nginx</c> as a child process (not a daemon) with <c>deploy/nginx-lx-annotate.conf</c>
/// rendered by <c>deploy/render-nginx-conf.sh</c>, exactly as an operator produces it, inside a minimal
/// <c>nginx.conf</c> whose pid file, logs and temp paths all live in its own directory. Loopback ports only.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    private readonly ChildProcess process;

    private NginxProcess(ChildProcess process, string directory, string renderedConfig)
    {
        this.process = process;
        Directory = directory;
        RenderedConfig = renderedConfig;
    }

    public string Directory { get; }

    public string RenderedConfig { get; }

    public string ErrorLog => File.Exists(Path.Combine(Directory, "error.log")) ? File.ReadAllText(Path.Combine(Directory, "error.log")) : "";

    /// <summary>Renders the template with <paramref name="variables"/>, starts nginx and waits until every port in <paramref name="ports"/> accepts connections.</summary>
    /// <param name="template">Another template for the same renderer (a test's stand-in for a site's own nginx); null: the deploy template.</param>
    /// <param name="stream">The template belongs in nginx's <c>stream {}</c> context (TLS passed through), with Debian's dynamic stream module loaded.</param>
    public static async Task<NginxProcess> StartAsync(string directory, IReadOnlyDictionary<string, string?> variables, IReadOnlyList<int> ports, string? template = null, bool stream = false)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(ports);
        Assert(File.Exists(Executable), $"{Executable} is missing (scripts/test.sh installs nginx)");
        System.IO.Directory.CreateDirectory(directory);

        var renderer = Path.Combine(Binaries.RepositoryRoot, "deploy", "render-nginx-conf.sh");
        var render = await ProcessRunner.RunAsync("bash", template is null ? [renderer] : [renderer, template], variables, TimeSpan.FromSeconds(30));
        Assert(render.ExitCode == 0, $"render-nginx-conf.sh failed: {render.StandardError}");
        var rendered = Path.Combine(directory, "lx-annotate.conf");
        await File.WriteAllTextAsync(rendered, render.StandardOutput);

        // Test-only wrapper. As root, nginx workers would drop to nobody, who cannot read the 0750 data tree
        // the hub made, so the workers keep root here; a host runs them as www-data in the service group.
        var runAsRoot = Environment.UserName == "root" ? "user root;\n" : "";
        var main = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(main, stream ? StreamMain(directory, runAsRoot, rendered) : string.Create(CultureInfo.InvariantCulture, $$"""
            {{runAsRoot}}worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log info;
            events { worker_connections 256; }
            http {
                include /etc/nginx/mime.types;
                default_type application/octet-stream;
                # The combined format, then what the replica tests read: bytes received per request and the replica(s) tried.
                log_format lxa_test '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                                    '"$http_referer" "$http_user_agent" request_length=$request_length '
                                    'upstream=$upstream_addr upstream_sent=$upstream_bytes_sent';
                access_log {{directory}}/access.log lxa_test;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{rendered}};
            }
            """));

        var test = await ProcessRunner.RunAsync(Executable, ["-t", "-q", "-p", directory + "/", "-e", Path.Combine(directory, "error.log"), "-c", main], new Dictionary<string, string?>(), TimeSpan.FromSeconds(30));
        Assert(test.ExitCode == 0, $"nginx -t refused the rendered configuration: {test.StandardError}");

        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", directory + "/", "-e", Path.Combine(directory, "error.log"), "-c", main, "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var nginx = new NginxProcess(ChildProcess.Start(start), directory, rendered);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in ports)
        {
            while (!await AcceptsAsync(port))
            {
                if (nginx.process.HasExited || DateTime.UtcNow > deadline)
                {
                    var log = nginx.ErrorLog + nginx.process.Output;
                    await nginx.DisposeAsync();
                    throw new InvalidOperationException($"nginx did not listen on {port.ToString(CultureInfo.InvariantCulture)}: {log}");
                }

                await Task.Delay(50);
            }
        }

        return nginx;
    }

    /// <summary>The stream wrapper: Debian's <c>libnginx-mod-stream</c> is a dynamic module a host loads through <c>modules-enabled</c>.</summary>
    private static string StreamMain(string directory, string runAsRoot, string rendered) => string.Create(CultureInfo.InvariantCulture, $$"""
        load_module /usr/lib/nginx/modules/ngx_stream_module.so;
        {{runAsRoot}}worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log info;
        events { worker_connections 256; }
        stream {
            include {{rendered}};
        }
        """);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // SIGTERM: nginx's fast shutdown, workers included.
            await process.TerminateAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }

        await process.DisposeAsync();
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
