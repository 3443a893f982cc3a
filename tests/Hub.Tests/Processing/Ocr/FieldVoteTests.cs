using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

public sealed class FieldVoteTests
{
    [Fact]
    public void Result_Majority_WinsOverHigherConfidence()
    {
        var vote = new FieldVote<string>(StringComparer.Ordinal);
        vote.Add("Müller", 80);
        vote.Add("Muller", 99);
        vote.Add("Müller", 70);

        var result = vote.Result();

        Assert.NotNull(result);
        Assert.Equal("Müller", result.Value);
        Assert.Equal(2, result.Votes);
        Assert.Equal(3, result.TotalVotes);
        Assert.Equal(0.75 * 2 / 3, result.Confidence, 6);
    }

    [Fact]
    public void Result_Tie_GoesToHigherConfidenceSum()
    {
        var vote = new FieldVote<string>(StringComparer.Ordinal);
        vote.Add("Muller", 60);
        vote.Add("Müller", 95);

        Assert.Equal("Müller", vote.Result()!.Value);
    }

    [Fact]
    public void Result_NoVotes_IsNull()
    {
        Assert.Null(new FieldVote<DateOnly>().Result());
    }

    [Theory]
    [InlineData(new[] { "a", "a", "a" }, 3, true)]
    [InlineData(new[] { "a", "a" }, 3, false)]
    [InlineData(new[] { "a", "a", "a", "b", "b", "b" }, 3, false)]
    [InlineData(new[] { "a", "a", "a", "b" }, 3, true)]
    public void HasAgreement_VotesAndMajority_Decide(string[] reads, int minimum, bool expected)
    {
        var vote = new FieldVote<string>(StringComparer.Ordinal);
        foreach (var read in reads)
        {
            vote.Add(read, 90);
        }

        Assert.Equal(expected, vote.HasAgreement(minimum));
    }
}
