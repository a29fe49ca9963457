<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="281"/>
        <source>module: {0}</source>
        <translation>模块：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="281"/>
        <source>forward (the model itself)</source>
        <translation>forward（模型本身）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="283"/>
        <source>parameter: {0}</source>
        <translation>参数：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="285"/>
        <source>saved {0}: {1}</source>
        <translation>保存的 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="478"/>
        <source>shape {0}</source>
        <translation>形状 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="478"/>
        <source>min {0}</source>
        <translation>最小值 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="479"/>
        <source>max {0}</source>
        <translation>最大值 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="479"/>
        <source>mean {0}</source>
        <translation>均值 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="479"/>
        <source>std {0}</source>
        <translation>标准差 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="480"/>
        <source>norm {0}</source>
        <translation>范数 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="480"/>
        <source>zeros {0:.1%}</source>
        <translation>零值 {0:.1%}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="481"/>
        <source>NaN or Inf {0}</source>
        <translation>NaN 或 Inf {0}</translation>
    </message>
</context>
<context>
    <name>ActivationCard</name>
    <message>
        <location filename="../../explorer/ui/activations_dock.py" line="52"/>
        <source>Click to inspect these numbers</source>
        <translation>点击查看这些数值</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/activations_dock.py" line="62"/>
        <source>(no tensor)</source>
        <translation>（无张量）</translation>
    </message>
</context>
<context>
    <name>ActivationsDock</name>
    <message>
        <location filename="../../explorer/ui/activations_dock.py" line="88"/>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/activations_dock.py" line="96"/>
        <source>Press Step forward (F10) to run the network one layer at a time.</source>
        <translation>按“单步前向”（F10），让网络一层一层地运行。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/activations_dock.py" line="156"/>
        <source>input -&gt; {0}</source>
        <translation>输入 -&gt; {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/activations_dock.py" line="181"/>
        <source>{0}. {1} -&gt; {2}</source>
        <translation>{0}. {1} -&gt; {2}</translation>
    </message>
</context>
<context>
    <name>AutogradGraphView</name>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="270"/>
        <source>forward</source>
        <translation>forward</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="607"/>
        <source>The autograd graph appears when the loss is computed (or backward starts from the output).</source>
        <translation>计算损失后（或从输出开始反向传播时），这里会显示自动求导计算图。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="628"/>
        <source>Cannot write {0}: the PNG encoder failed</source>
        <translation>无法写入 {0}：PNG 编码失败</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="645"/>
        <source>Autograd graph</source>
        <translation>自动求导计算图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="665"/>
        <source>There is no graph to export yet.</source>
        <translation>还没有可以导出的计算图。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="668"/>
        <source>Cannot write {0}: the folder {1} does not exist</source>
        <translation>无法写入 {0}：文件夹 {1} 不存在</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_view.py" line="681"/>
        <source>Cannot write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
</context>
<context>
    <name>GraphDock</name>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="24"/>
        <source>Autograd graph</source>
        <translation>自动求导计算图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="34"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="34"/>
        <source>Show the whole graph</source>
        <translation>显示整个计算图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="35"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="35"/>
        <source>Zoom in (or use the mouse wheel)</source>
        <translation>放大（也可以用鼠标滚轮）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="37"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="37"/>
        <source>Zoom out (or use the mouse wheel)</source>
        <translation>缩小（也可以用鼠标滚轮）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="40"/>
        <source>Export PNG...</source>
        <translation>导出 PNG...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="40"/>
        <source>Save the whole graph as a PNG image</source>
        <translation>把整个计算图保存为 PNG 图片</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="42"/>
        <source>Export SVG...</source>
        <translation>导出 SVG...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="42"/>
        <source>Save the whole graph as an SVG drawing</source>
        <translation>把整个计算图保存为 SVG 矢量图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="100"/>
        <source>forward</source>
        <translation>forward</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="104"/>
        <source>Colour: module that made the node</source>
        <translation>颜色：创建该节点的模块</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="107"/>
        <source>arrows: the way gradients flow</source>
        <translation>箭头：梯度流动的方向</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="130"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="131"/>
        <source>The graph was not saved to {0}.
{1}</source>
        <translation>计算图没有保存到 {0}。
{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="139"/>
        <source>Export the graph as PNG</source>
        <translation>把计算图导出为 PNG</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="139"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="141"/>
        <source>Export the graph as SVG</source>
        <translation>把计算图导出为 SVG</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph_dock.py" line="141"/>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
</context>
<context>
    <name>HistogramPlot</name>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="298"/>
        <source>count</source>
        <translation>计数</translation>
    </message>
</context>
<context>
    <name>ImagePlot</name>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="187"/>
        <source>rows ({0})</source>
        <translation>行（{0}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="188"/>
        <source>columns ({0})</source>
        <translation>列（{0}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="193"/>
        <source>{0} x {1} tiles of {2}x{3} (rows: {4}, columns: {5})</source>
        <translation>{0} x {1} 个 {2}x{3} 小图（行：{4}，列：{5}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="196"/>
        <source>{0} maps of {1}x{2}</source>
        <translation>{0} 张 {1}x{2} 特征图</translation>
    </message>
</context>
<context>
    <name>InspectorDock</name>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="61"/>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="69"/>
        <source>choose a tensor</source>
        <translation>选择一个张量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="81"/>
        <source>Choose a parameter above, or click a layer, a graph node or an activation to see its numbers.</source>
        <translation>在上方选择一个参数，或点击某一层、计算图中的节点或某个激活值，查看它的数值。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="93"/>
        <source>Inspect:</source>
        <translation>查看：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="120"/>
        <source>{0}  {1}</source>
        <translation>{0}  {1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="121"/>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="155"/>
        <source>Not computed in the current pass yet; it appears again when it is.</source>
        <translation>本轮计算还没有算到这里；算出后会再次显示。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="169"/>
        <source>out</source>
        <translation>输出通道</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="169"/>
        <source>in</source>
        <translation>输入通道</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="169"/>
        <source>sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="169"/>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="180"/>
        <source>{0}.grad</source>
        <translation>{0}.grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="180"/>
        <source>before update</source>
        <translation>更新前</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="181"/>
        <source>change: after - before</source>
        <translation>变化量：更新后 - 更新前</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="184"/>
        <source>None - no backward has run yet</source>
        <translation>None —— 还没有运行过反向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/inspector_dock.py" line="186"/>
        <source>(no tensor)</source>
        <translation>（无张量）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="36"/>
        <source>explorer - watch a network think and learn</source>
        <translation>explorer —— 看神经网络如何思考与学习</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="75"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="76"/>
        <source>Quit explorer</source>
        <translation>退出 explorer</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="77"/>
        <source>&amp;About explorer</source>
        <translation>关于 explorer(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="78"/>
        <source>Reset &amp;layout</source>
        <translation>重置布局(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="79"/>
        <source>Put every panel back where it started</source>
        <translation>把所有面板放回初始位置</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="82"/>
        <source>&amp;Digits: 1,797 handwritten 8×8 digits (classification)</source>
        <translation>手写数字(&amp;D)：1,797 张 8×8 手写数字（分类）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="83"/>
        <source>&amp;Tutorial: one random 32×32 input, target 1..10 (MSELoss)</source>
        <translation>教程(&amp;T)：一个随机 32×32 输入，目标 1..10（MSELoss）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="92"/>
        <source>The tutorial&apos;s rule: weight -= lr * gradient</source>
        <translation>教程中的规则：weight -= lr * gradient</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="93"/>
        <source>SGD with momentum 0.9</source>
        <translation>带动量 0.9 的 SGD</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="93"/>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="100"/>
        <source>&amp;Learning rate...</source>
        <translation>学习率(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="101"/>
        <source>&amp;Batch size...</source>
        <translation>批量大小(&amp;B)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="102"/>
        <source>&amp;Seed...</source>
        <translation>随机种子(&amp;S)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="106"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="108"/>
        <source>&amp;Step</source>
        <translation>单步(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="113"/>
        <source>&amp;Data</source>
        <translation>数据(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="118"/>
        <source>&amp;Optimizer</source>
        <translation>优化器(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="122"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="127"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="136"/>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="145"/>
        <source>starting...</source>
        <translation>正在启动...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="219"/>
        <source>{0} | batch {1} | {2}, lr {3}</source>
        <translation>{0} | 批量 {1} | {2}，学习率 {3}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="253"/>
        <source>New session: {0}</source>
        <translation>新会话：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="265"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="265"/>
        <source>Learning rate (a new session starts):</source>
        <translation>学习率（将开始新的会话）：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="272"/>
        <source>Batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="272"/>
        <source>Samples per batch (a new session starts):</source>
        <translation>每批样本数（将开始新的会话）：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="279"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="279"/>
        <source>Seed for weights, data order and random gradients:</source>
        <translation>用于初始权重、数据顺序和随机梯度的种子：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="285"/>
        <source>About explorer</source>
        <translation>关于 explorer</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="286"/>
        <source>&lt;b&gt;explorer&lt;/b&gt; steps through a PyTorch network&apos;s forward and backward passes one layer and one autograd node at a time, and shows every weight, gradient and activation on the way.&lt;br&gt;&lt;br&gt;It grew out of the PyTorch tutorial &quot;Neural Networks&quot; (Chinese edition).</source>
        <translation>&lt;b&gt;explorer&lt;/b&gt; 逐层单步执行 PyTorch 网络的前向传播，逐个自动求导节点单步执行反向传播，并显示沿途的每一个权重、梯度和激活值。&lt;br&gt;&lt;br&gt;它源自 PyTorch 中文教程《神经网络》。</translation>
    </message>
</context>
<context>
    <name>ModelDock</name>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="24"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="33"/>
        <source>Module / parameter</source>
        <translation>模块 / 参数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="33"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="33"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="51"/>
        <source>{0}: {1} parameter tensors, {2} parameters</source>
        <translation>{0}：{1} 个参数张量，共 {2} 个参数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="70"/>
        <source>Click to inspect {0} and its gradient</source>
        <translation>点击查看 {0} 及其梯度</translation>
    </message>
</context>
<context>
    <name>Notes</name>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="61"/>
        <source>{0}.grad is None (no backward has written it yet)</source>
        <translation>{0}.grad 为 None（还没有反向传播写入它）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="62"/>
        <source>updated by {0} with lr={1}</source>
        <translation>已由 {0} 以学习率 {1} 更新</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="63"/>
        <source>saved {0}: {1}</source>
        <translation>保存的 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="64"/>
        <source>not run yet at this step of the backward pass</source>
        <translation>反向传播进行到这一步时，它还没有运行</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="65"/>
        <source>ran as backward step {0}</source>
        <translation>在反向传播第 {0} 步运行</translation>
    </message>
</context>
<context>
    <name>SessionActions</name>
    <message>
        <location filename="../../explorer/ui/actions.py" line="28"/>
        <source>Step &amp;forward</source>
        <translation>单步前向(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="29"/>
        <source>Run the network one layer (module or op) further on the current batch</source>
        <translation>在当前批次上让网络再向前运行一层（一个模块或运算）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="30"/>
        <source>&amp;Run forward</source>
        <translation>运行前向(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="31"/>
        <source>Finish the forward pass</source>
        <translation>完成前向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="32"/>
        <source>&amp;Loss</source>
        <translation>损失(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="33"/>
        <source>Compare the output with the target: loss = criterion(output, target)</source>
        <translation>把输出与目标比较：loss = criterion(output, target)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="34"/>
        <source>Step &amp;backward</source>
        <translation>单步反向(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="35"/>
        <source>Run one more autograd node of loss.backward(), in the order the engine runs them</source>
        <translation>按自动求导引擎实际的执行顺序，再运行 loss.backward() 的一个节点</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="36"/>
        <source>Run back&amp;ward</source>
        <translation>运行反向(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="37"/>
        <source>Finish loss.backward()</source>
        <translation>完成 loss.backward()</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="38"/>
        <source>Backward from &amp;output</source>
        <translation>从输出反向传播(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="39"/>
        <source>The tutorial&apos;s out.backward(torch.randn(1, 10)): backward from the output with a random gradient</source>
        <translation>教程中的 out.backward(torch.randn(1, 10))：用随机梯度从输出开始反向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="41"/>
        <source>&amp;Zero grad</source>
        <translation>梯度清零(&amp;Z)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="42"/>
        <source>net.zero_grad(): set every parameter&apos;s gradient to zero</source>
        <translation>net.zero_grad()：把每个参数的梯度置零</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="43"/>
        <source>&amp;Update weights</source>
        <translation>更新权重(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="44"/>
        <source>weight = weight - learning_rate * gradient (or the chosen optimizer&apos;s step)</source>
        <translation>weight = weight - learning_rate * gradient（或所选优化器的一步更新）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="45"/>
        <source>&amp;Next batch</source>
        <translation>下一批(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="46"/>
        <source>Load the next mini-batch of the data set</source>
        <translation>载入数据集的下一个小批量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="47"/>
        <source>Rese&amp;t</source>
        <translation>重置(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="48"/>
        <source>Fresh weights from the seed, the first batch, nothing computed</source>
        <translation>按随机种子重新初始化权重，回到第一批数据，尚未计算任何内容</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="23"/>
        <source>ready: batch {0}, nothing computed yet</source>
        <translation>就绪：第 {0} 批，尚未计算</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="25"/>
        <source>forward {0}/{1}: {2}</source>
        <translation>前向 {0}/{1}：{2}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="27"/>
        <source> - forward done</source>
        <translation> —— 前向传播完成</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="29"/>
        <source>loss = {0:.4f} ({1})</source>
        <translation>损失 = {0:.4f}（{1}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="31"/>
        <source>backward {0}/{1}: {2}</source>
        <translation>反向 {0}/{1}：{2}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="33"/>
        <source> - backward done</source>
        <translation> —— 反向传播完成</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="36"/>
        <source>weights updated ({0}, lr={1})</source>
        <translation>权重已更新（{0}，学习率={1}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="48"/>
        <source>prediction: {0} ({1:.0%})</source>
        <translation>预测：{0}（{1:.0%}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="49"/>
        <source>output: {0}</source>
        <translation>输出：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/status_text.py" line="55"/>
        <location filename="../../explorer/ui/status_text.py" line="56"/>
        <source>target: {0}</source>
        <translation>目标：{0}</translation>
    </message>
</context>
<context>
    <name>TensorWidget</name>
    <message>
        <location filename="../../explorer/ui/tensor_widgets.py" line="379"/>
        <source>empty: shape {0}</source>
        <translation>空张量：形状 {0}</translation>
    </message>
</context>
<context>
    <name>Tutorial</name>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="37"/>
        <source>Define the network</source>
        <translation>定义网络</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="50"/>
        <source>Its learnable parameters</source>
        <translation>可学习的参数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="51"/>
        <source>&lt;code&gt;net.parameters()&lt;/code&gt; returns the learnable tensors: a weight and a bias for each of the five layers, so 10 tensors. The first, conv1&apos;s weight, holds 6 filters of 1×5×5: the inspector shows them as six small images.</source>
        <translation>&lt;code&gt;net.parameters()&lt;/code&gt; 返回可学习的张量：五层各有一个权重和一个偏置，共 10 个张量。第一个是 conv1 的权重，包含 6 个 1×5×5 的卷积核：检查器把它们显示为六张小图。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="58"/>
        <source>A random input, forward</source>
        <translation>随机输入，前向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="59"/>
        <source>A random 32×32 image goes through the network. The &lt;b&gt;Activations&lt;/b&gt; panel shows what every layer made of it, down to the 10 outputs. Use &lt;b&gt;Step forward&lt;/b&gt; (F10) to watch it one layer at a time.</source>
        <translation>一张随机的 32×32 图像经过网络。&lt;b&gt;激活值&lt;/b&gt;面板显示每一层对它的处理结果，直到最后的 10 个输出。用&lt;b&gt;单步前向&lt;/b&gt;（F10）可以一层一层地观察。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="66"/>
        <source>zero_grad, then backward with a random gradient</source>
        <translation>梯度清零，再用随机梯度反向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="74"/>
        <source>Mini-batches</source>
        <translation>小批量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="75"/>
        <source>torch.nn only takes mini-batches: nn.Conv2d wants a 4-D tensor &lt;i&gt;nSamples × nChannels × Height × Width&lt;/i&gt;. One image of 1×32×32 becomes a batch of one with &lt;code&gt;input.unsqueeze(0)&lt;/code&gt;: 1×1×32×32, the shape the network saw above.</source>
        <translation>torch.nn 只支持小批量输入：nn.Conv2d 需要一个 4 维张量 &lt;i&gt;nSamples × nChannels × Height × Width&lt;/i&gt;。一张 1×32×32 的图像用 &lt;code&gt;input.unsqueeze(0)&lt;/code&gt; 变成大小为 1 的批量：1×1×32×32，也就是上面网络看到的形状。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="82"/>
        <source>The loss function</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="38"/>
        <source>A network is an &lt;b&gt;nn.Module&lt;/b&gt; with layers as attributes and a &lt;b&gt;forward&lt;/b&gt; method. Two convolution layers turn the 32×32 image into 16 feature maps of 5×5; three fully connected layers map those 400 numbers to 10 outputs. autograd writes &lt;b&gt;backward&lt;/b&gt; for you. The &lt;b&gt;Model&lt;/b&gt; panel shows the module tree exactly as &lt;code&gt;print(net)&lt;/code&gt; prints it.</source>
        <translation>网络是一个 &lt;b&gt;nn.Module&lt;/b&gt;：各层是它的属性，再加上一个 &lt;b&gt;forward&lt;/b&gt; 方法。两个卷积层把 32×32 的图像变成 16 张 5×5 的特征图；三个全连接层把这 400 个数映射为 10 个输出。&lt;b&gt;backward&lt;/b&gt; 函数由 autograd 自动实现。&lt;b&gt;模型&lt;/b&gt;面板显示的模块树与 &lt;code&gt;print(net)&lt;/code&gt; 的输出完全一致。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="67"/>
        <source>&lt;code&gt;net.zero_grad()&lt;/code&gt; clears the gradients of every parameter; &lt;code&gt;out.backward(g)&lt;/code&gt; then sends a random gradient back through the network. The &lt;b&gt;Autograd graph&lt;/b&gt; shows each node that ran, ticked in green.</source>
        <translation>&lt;code&gt;net.zero_grad()&lt;/code&gt; 把所有参数的梯度缓存清零；&lt;code&gt;out.backward(g)&lt;/code&gt; 再把一个随机梯度沿网络反向传播。&lt;b&gt;自动求导计算图&lt;/b&gt;中已经运行过的节点会打上绿色对勾。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="83"/>
        <source>A loss function takes (output, target) and says how far the output is from the target. Here the target is 1, 2, ..., 10 and the loss is the mean squared error &lt;code&gt;nn.MSELoss&lt;/code&gt;. Computing it adds its node to the autograd graph.</source>
        <translation>损失函数接收 (output, target) 这一对输入，计算输出与目标之间的距离。这里的目标是 1, 2, ..., 10，损失是均方误差 &lt;code&gt;nn.MSELoss&lt;/code&gt;。计算损失会在自动求导计算图中加入它的节点。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="91"/>
        <source>Follow loss.grad_fn backwards</source>
        <translation>沿 loss.grad_fn 反向追踪</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="92"/>
        <source>Every tensor made by an operation remembers it in &lt;code&gt;grad_fn&lt;/code&gt;; &lt;code&gt;next_functions&lt;/code&gt; leads to the operations before it. From the loss: MseLossBackward0 → AddmmBackward0 (fc3, the last linear layer) → ReluBackward0. The graph shows the whole chain, down to the AccumulateGrad nodes that write each parameter&apos;s .grad.</source>
        <translation>由运算产生的每个张量都在 &lt;code&gt;grad_fn&lt;/code&gt; 中记住这个运算；&lt;code&gt;next_functions&lt;/code&gt; 指向它之前的运算。从损失出发：MseLossBackward0 → AddmmBackward0（fc3，最后一个线性层）→ ReluBackward0。计算图显示完整的链条，一直到写入每个参数 .grad 的 AccumulateGrad 节点。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="101"/>
        <source>conv1.bias.grad before backward</source>
        <translation>反向传播前的 conv1.bias.grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="102"/>
        <source>Clear the old gradients first: gradients add up across backward passes. After &lt;code&gt;net.zero_grad()&lt;/code&gt;, conv1&apos;s six bias gradients are all zero.</source>
        <translation>先清除旧的梯度：多次反向传播的梯度会累加。执行 &lt;code&gt;net.zero_grad()&lt;/code&gt; 之后，conv1 的六个偏置梯度都是零。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="109"/>
        <source>conv1.bias.grad after backward</source>
        <translation>反向传播后的 conv1.bias.grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="110"/>
        <source>&lt;code&gt;loss.backward()&lt;/code&gt; runs the graph from the loss to every parameter. conv1.bias is written last: step through it with &lt;b&gt;Step backward&lt;/b&gt; (F11) and watch the gradient appear when its AccumulateGrad node runs.</source>
        <translation>&lt;code&gt;loss.backward()&lt;/code&gt; 从损失出发把计算图一直运行到每个参数。conv1.bias 最后被写入：用&lt;b&gt;单步反向&lt;/b&gt;（F11）逐步执行，看它的 AccumulateGrad 节点运行时梯度如何出现。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="117"/>
        <source>Update the weights</source>
        <translation>更新权重</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_steps.py" line="118"/>
        <source>The simplest rule, stochastic gradient descent: &lt;code&gt;weight = weight - learning_rate * gradient&lt;/code&gt;. The inspector shows each parameter before and after, and the change, which is −0.01 × the gradient.</source>
        <translation>最简单的更新规则是随机梯度下降：&lt;code&gt;weight = weight - learning_rate * gradient&lt;/code&gt;。检查器显示每个参数更新前后的值以及变化量，也就是 −0.01 × 梯度。</translation>
    </message>
</context>
<context>
    <name>TutorialDock</name>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="51"/>
        <source>Guided tutorial</source>
        <translation>引导教程</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="82"/>
        <source>Run this step</source>
        <translation>运行这一步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="83"/>
        <source>Run the code above in the app (from wherever the step stands now)</source>
        <translation>在应用中运行上面的代码（无论当前进行到哪一步）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="84"/>
        <source>Show me</source>
        <translation>给我看</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="85"/>
        <source>Bring forward the panel that shows the result</source>
        <translation>把显示结果的面板调到前面</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="86"/>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="87"/>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="101"/>
        <source>In PyTorch:</source>
        <translation>在 PyTorch 中：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="103"/>
        <source>In this app, just now:</source>
        <translation>在本应用中，刚才的结果：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="138"/>
        <source>Step {0} of {1}</source>
        <translation>第 {0} 步，共 {1} 步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="169"/>
        <source>Press &lt;b&gt;Run this step&lt;/b&gt;.</source>
        <translation>请按&lt;b&gt;运行这一步&lt;/b&gt;。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="176"/>
        <source>{0}: {1} parameter tensors, {2} numbers; params[0] ({3}) is {4}</source>
        <translation>{0}：{1} 个参数张量，共 {2} 个数；params[0]（{3}）的形状是 {4}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="184"/>
        <source>backward ran {0} autograd nodes, from the output to every parameter</source>
        <translation>反向传播运行了 {0} 个自动求导节点，从输出一直到每个参数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="188"/>
        <source>one sample: {0}; the batch the network sees: 1×{0}</source>
        <translation>单个样本：{0}；网络看到的批量：1×{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="190"/>
        <source>loss = {0:.4f}</source>
        <translation>损失 = {0:.4f}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="209"/>
        <source>conv1.bias.grad = {0}</source>
        <translation>conv1.bias.grad = {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial_dock.py" line="211"/>
        <source>change of conv1.bias = {0}</source>
        <translation>conv1.bias 的变化量 = {0}</translation>
    </message>
</context>
</TS>
