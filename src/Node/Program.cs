using LxAnnotate.Node.Cli;

return await NodeCli.InvokeAsync(args);
