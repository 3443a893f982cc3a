using LxAnnotate.Hub.Metrics;

namespace LxAnnotate.Hub.Tests.Metrics;

public sealed class MetricsOptionsTests
{
    [Theory]
    [InlineData("short-token", null, "LXA_HUB_METRICS_TOKEN_FILE")]
    [InlineData("0123456789abcdef 0123456789abcdef", null, "LXA_HUB_METRICS_TOKEN_FILE")]
    [InlineData(null, "http://0.0.0.0:9465", "LXA_HUB_WORKER_METRICS_URL")]
    [InlineData(null, "http://192.0.2.10:9465", "LXA_HUB_WORKER_METRICS_URL")]
    [InlineData(null, "https://127.0.0.1:9465", "LXA_HUB_WORKER_METRICS_URL")]
    public void Problem_GuessableTokenOrWorkerListenerOffTheHost_NamesTheVariable(string? token, string? workerUrl, string variable)
    {
        var problem = MetricsOptionsValidator.Problem(new MetricsOptions { Token = token, WorkerUrl = workerUrl is null ? null : new Uri(workerUrl) });

        Assert.NotNull(problem);
        Assert.StartsWith(variable, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9465")]
    [InlineData("http://[::1]:9465")]
    [InlineData("http://localhost:9465")]
    public void Problem_LongTokenAndLoopbackWorkerListener_None(string workerUrl)
    {
        var options = new MetricsOptions { Token = new string('a', MetricsOptions.MinTokenLength), WorkerUrl = new Uri(workerUrl) };

        Assert.Null(MetricsOptionsValidator.Problem(options));
        Assert.DoesNotContain("aaaa", options.ToString(), StringComparison.Ordinal);
    }
}
